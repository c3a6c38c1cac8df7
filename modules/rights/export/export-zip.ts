/**
 * Writes a person's export as one zip (index.html, data.json, csv/<category>.csv, csv/summaries.csv, manifest.json
 * with each entry's sha256), streamed entry by entry through yazl and straight into the encrypted file: neither the
 * zip nor a record set is ever held whole in memory. Returns the plaintext zip's size and sha256.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { categoryCsv, summariesCsv } from './export-csv';
import { encryptStream } from './export-crypto';
import { dataJson, EXPORT_FORMAT, setKey, type ExportMeta, type SetCounts } from './export-json';
import { indexHtml } from './export-html';
import { categoriesOf, type ExportSources } from './export-sources';

/** One zip entry as listed in manifest.json. */
export interface ManifestEntry { path: string; bytes: number; sha256: string }

/** What was written. */
export interface BuiltExport { bytes: number; sha256: string; entries: ManifestEntry[]; counts: Record<string, number> }

/** Deflate level of the entries: 6 is zlib's default balance of size and speed. */
export const EXPORT_COMPRESSION_LEVEL = 6;

/** Writes the encrypted export of `src` to `file` (created with mode 0600; must not exist). */
export async function writeExportFile(file: string, key: Buffer, meta: ExportMeta, src: ExportSources): Promise<BuiltExport> {
  const zip = new ZipFile();
  const entries: ManifestEntry[] = [];
  const counts: SetCounts = new Map();
  const mtime = new Date(meta.generatedAt);
  const fail = (err: unknown) => (zip.outputStream as unknown as Readable).destroy(err instanceof Error ? err : new Error(String(err)));

  const add = (name: string, produce: () => AsyncIterable<string | Buffer>): void => {
    zip.addReadStreamLazy(name, { mtime, compressionLevel: EXPORT_COMPRESSION_LEVEL }, (cb) => {
      const hash = crypto.createHash('sha256');
      let bytes = 0;
      async function* hashed(): AsyncGenerator<Buffer> {
        for await (const part of produce()) {
          const b = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
          hash.update(b);
          bytes += b.length;
          yield b;
        }
        entries.push({ path: name, bytes, sha256: hash.digest('hex') });
      }
      const stream = Readable.from(hashed(), { objectMode: false });
      stream.on('error', fail);
      cb(null, stream);
    });
  };

  add('index.html', () => indexHtml(meta, src));
  add('data.json', () => dataJson(meta, src, counts));
  for (const category of categoriesOf(src)) add(`csv/${category}.csv`, () => categoryCsv(src, category));
  add('csv/summaries.csv', () => summariesCsv(src));
  // Entries are written in order, so by the time the manifest is read every other entry's hash is known.
  add('manifest.json', async function* manifest() {
    yield `${JSON.stringify({ format: EXPORT_FORMAT, generatedAt: mtime.toISOString(), entries: [...entries] }, null, 2)}\n`;
  });
  zip.end();

  const zipHash = crypto.createHash('sha256');
  let zipBytes = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _enc, done) {
      zipHash.update(chunk);
      zipBytes += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(zip.outputStream, measure, encryptStream(key), fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  return { bytes: zipBytes, sha256: zipHash.digest('hex'), entries, counts: Object.fromEntries(src.sets.map((s) => [setKey(s), counts.get(setKey(s)) ?? 0])) };
}
