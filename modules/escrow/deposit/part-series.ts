/**
 * One logical file of a deposit (the domain data, or the 2007 handles) written as parts: rows are buffered into
 * chunks of about 64 KiB and streamed through OpenPGP (encrypted to the agent, signed by the registrar) into
 * `<part>.csv.gpg` in the staging directory; a part is closed at the first row boundary past `partBytes`. Only one
 * chunk per open part is held, so memory does not grow with the number of rows. Each part's plain text is hashed
 * (SHA-256) as it is written, for the hash file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebReadable } from 'node:stream/web';
import * as openpgp from 'openpgp';
import type { DepositKeys } from './pgp-keys';

/** A finished file of the deposit: its plain name, the name it is delivered under, sizes and the plain text's hash. */
export interface DepositFile { plainName: string; name: string; bytes: number; plainBytes: number; sha256: string }

const CHUNK = 64 * 1024;

/** An open encrypting file: write plain chunks, then `finish`. */
class EncryptedFile {
  private readonly hash = crypto.createHash('sha256');
  plainBytes = 0;

  private constructor(readonly plainName: string, readonly file: string, private readonly done: Promise<void>, private readonly src: PassThrough) {
    this.done.catch(() => undefined); // observed in finish(); a failure must not be an unhandled rejection meanwhile
  }

  /** Opens `<dir>/<plainName>.gpg` and starts the OpenPGP stream into it. */
  static async open(dir: string, plainName: string, keys: DepositKeys): Promise<EncryptedFile> {
    const src = new PassThrough();
    const message = await openpgp.createMessage({ binary: Readable.toWeb(src) as unknown as NodeWebReadable<Uint8Array>, filename: plainName, format: 'binary' });
    const out = await openpgp.encrypt({ message, encryptionKeys: keys.encryptionKey, signingKeys: keys.signingKey, format: 'binary' });
    const file = path.join(dir, `${plainName}.gpg`);
    const done = pipeline(Readable.fromWeb(out as unknown as NodeWebReadable<Uint8Array>), fs.createWriteStream(file));
    return new EncryptedFile(plainName, file, done, src);
  }

  /** Writes plain bytes, waiting while the encryption is behind. */
  async write(buf: Buffer): Promise<void> {
    this.hash.update(buf);
    this.plainBytes += buf.length;
    if (!this.src.write(buf)) await new Promise<void>((resolve, reject) => {
      const onDrain = (): void => { this.src.off('error', onErr); resolve(); };
      const onErr = (e: Error): void => { this.src.off('drain', onDrain); reject(e); };
      this.src.once('drain', onDrain);
      this.src.once('error', onErr);
    });
  }

  /** Ends the plain text and waits for the encrypted file to be on disk. */
  async finish(): Promise<DepositFile> {
    this.src.end();
    await this.done;
    const bytes = (await fs.promises.stat(this.file)).size;
    return { plainName: this.plainName, name: path.basename(this.file), bytes, plainBytes: this.plainBytes, sha256: this.hash.digest('hex') };
  }

  /** Stops on failure; the caller removes the staging directory. */
  destroy(): void {
    this.src.destroy();
  }
}

/** Encrypts and signs one small plain text (the hash file) into `<dir>/<plainName>.gpg`. */
export async function writeEncrypted(dir: string, plainName: string, text: string, keys: DepositKeys): Promise<DepositFile> {
  const f = await EncryptedFile.open(dir, plainName, keys);
  await f.write(Buffer.from(text, 'utf8'));
  return f.finish();
}

/** A file written as parts: `row` per CSV line, `close` for the list of parts. */
export class PartSeries {
  private current: EncryptedFile | null = null;
  private chunk: Buffer[] = [];
  private chunkBytes = 0;
  private partBytes = 0;
  private seq = 0;
  private rows = 0;
  private readonly files: DepositFile[] = [];

  constructor(private readonly opts: { dir: string; header: string; partBytes: number; keys: DepositKeys; name: (seq: number) => string }) {}

  private async flush(): Promise<void> {
    if (!this.chunkBytes) return;
    const buf = Buffer.concat(this.chunk, this.chunkBytes);
    this.chunk = [];
    this.chunkBytes = 0;
    await this.current!.write(buf);
  }

  private async openPart(): Promise<void> {
    this.seq += 1;
    this.current = await EncryptedFile.open(this.opts.dir, this.opts.name(this.seq), this.opts.keys);
    this.partBytes = 0;
    this.rows = 0;
    this.push(this.opts.header);
  }

  private push(text: string): void {
    const buf = Buffer.from(text, 'utf8');
    this.chunk.push(buf);
    this.chunkBytes += buf.length;
    this.partBytes += buf.length;
  }

  private async closePart(): Promise<void> {
    await this.flush();
    this.files.push(await this.current!.finish());
    this.current = null;
  }

  /** Adds one CSV line; starts a new part first when this one already reached `partBytes`. */
  async row(line: string): Promise<void> {
    if (!this.current) await this.openPart();
    else if (this.rows > 0 && this.partBytes + Buffer.byteLength(line) > this.opts.partBytes) {
      await this.closePart();
      await this.openPart();
    }
    this.push(line);
    this.rows += 1;
    if (this.chunkBytes >= CHUNK) await this.flush();
  }

  /** Closes the last part (a file with no rows still gets one part holding its header) and lists every part. */
  async close(): Promise<DepositFile[]> {
    if (!this.current && !this.files.length) await this.openPart();
    if (this.current) await this.closePart();
    return this.files;
  }

  /** Abandons the open part (after a failure). */
  abort(): void {
    this.current?.destroy();
    this.current = null;
  }
}
