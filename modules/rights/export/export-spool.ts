/**
 * A spool: a temporary file an export writes one of its parts into while the record sets are read once, to be copied
 * into the zip afterwards (the zip takes its entries one after another). Spools are encrypted like the export itself,
 * under a key that exists only in memory, so no plaintext ever reaches the disk; each is deleted once read or discarded.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import crypto from 'node:crypto';
import { finished } from 'node:stream/promises';
import { pipeline, type Readable } from 'node:stream';
import { decryptStream, encryptStream, newFileKey } from './export-crypto';

const FLUSH_AT = 64 * 1024;

/** One spool file. */
export class Spool {
  private readonly key = newFileKey();
  private readonly file: string;
  private readonly enc = encryptStream(this.key);
  private readonly out: fs.WriteStream;
  private buffered = '';
  private failed: Error | null = null;

  constructor(dir: string) {
    this.file = path.join(dir, `${crypto.randomBytes(16).toString('hex')}.spool`);
    this.out = fs.createWriteStream(this.file, { flags: 'wx', mode: 0o600 });
    this.enc.pipe(this.out);
    const fail = (err: Error) => { this.failed ??= err; };
    this.enc.on('error', fail);
    this.out.on('error', fail);
  }

  /** Appends text; returns a promise only when the caller must wait for the disk (backpressure). */
  write(text: string): Promise<void> | undefined {
    if (this.failed) throw this.failed;
    this.buffered += text;
    if (this.buffered.length < FLUSH_AT) return undefined;
    const chunk = this.buffered;
    this.buffered = '';
    return this.enc.write(chunk) ? undefined : once(this.enc, 'drain').then(() => undefined);
  }

  /** Writes what is buffered and closes the file. */
  async close(): Promise<void> {
    if (this.buffered) this.enc.write(this.buffered);
    this.buffered = '';
    this.enc.end();
    await finished(this.out);
    if (this.failed) throw this.failed;
  }

  /** The spooled bytes, decrypted; the file is deleted once it has been read (or the read fails). */
  read(): Readable {
    return pipeline(fs.createReadStream(this.file), decryptStream(this.key), () => this.discard());
  }

  /** Deletes the file and forgets the key (safe to call twice). */
  discard(): void {
    this.key.fill(0);
    fs.rmSync(this.file, { force: true });
  }
}
