/**
 * Export files at rest: a segmented AES-256-GCM stream under a random per-file key. The file starts with a magic and an
 * 8-byte nonce prefix; then frames of [u32 length][u8 last flag][ciphertext][16-byte tag], each of at most 64 KiB, with
 * nonce = prefix ‖ u32 frame counter and the flag as additional data. Every frame is authenticated before its plaintext
 * is released, frames cannot be reordered (counter), and a truncated file fails (no frame flagged last).
 */
import crypto from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

const MAGIC = Buffer.from('PSXE', 'latin1');
const FRAME = 64 * 1024;
const TAG = 16;
const HEAD = MAGIC.length + 8;

function nonce(prefix: Buffer, counter: number): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0);
  n.writeUInt32BE(counter, 8);
  return n;
}

/** A new random 256-bit file key. */
export function newFileKey(): Buffer {
  return crypto.randomBytes(32);
}

/** Encrypts a byte stream into the framed format. */
export function encryptStream(key: Buffer): Transform {
  const prefix = crypto.randomBytes(8);
  let counter = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const seal = (plain: Buffer, last: boolean): Buffer => {
    if (counter === 0xffffffff) throw new Error('export file too large');
    const flag = Buffer.from([last ? 1 : 0]);
    const c = crypto.createCipheriv('aes-256-gcm', key, nonce(prefix, counter++));
    c.setAAD(flag);
    const ct = Buffer.concat([c.update(plain), c.final()]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(ct.length, 0);
    return Buffer.concat([len, flag, ct, c.getAuthTag()]);
  };
  let started = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      try {
        if (!started) { this.push(Buffer.concat([MAGIC, prefix])); started = true; }
        pending.push(chunk);
        pendingBytes += chunk.length;
        // Keep at least one byte back so the final frame is never empty unless the whole stream is.
        while (pendingBytes > FRAME) {
          const all = Buffer.concat(pending);
          this.push(seal(all.subarray(0, FRAME), false));
          pending = [all.subarray(FRAME)];
          pendingBytes = all.length - FRAME;
        }
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        if (!started) this.push(Buffer.concat([MAGIC, prefix]));
        this.push(seal(Buffer.concat(pending), true));
        pending = [];
        done();
      } catch (err) {
        done(err as Error);
      }
    },
  });
}

/** Decrypts the framed format; fails on a wrong key, a changed, reordered or truncated file. */
export function decryptStream(key: Buffer): Transform {
  let buf: Buffer = Buffer.alloc(0);
  let prefix: Buffer | null = null;
  let counter = 0;
  let ended = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      try {
        if (!prefix) {
          if (buf.length < HEAD) return done();
          if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not an export file');
          prefix = Buffer.from(buf.subarray(MAGIC.length, HEAD));
          buf = buf.subarray(HEAD);
        }
        while (buf.length >= 5) {
          if (ended) throw new Error('data after the last frame');
          const len = buf.readUInt32BE(0);
          if (len > FRAME) throw new Error('frame too long');
          if (buf.length < 5 + len + TAG) break;
          const flag = buf.subarray(4, 5);
          const d = crypto.createDecipheriv('aes-256-gcm', key, nonce(prefix, counter++));
          d.setAAD(flag);
          d.setAuthTag(buf.subarray(5 + len, 5 + len + TAG));
          this.push(Buffer.concat([d.update(buf.subarray(5, 5 + len)), d.final()]));
          ended = flag[0] === 1;
          buf = buf.subarray(5 + len + TAG);
        }
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      done(ended && buf.length === 0 ? undefined : new Error('export file is truncated'));
    },
  });
}
