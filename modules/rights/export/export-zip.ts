/**
 * Writes a person's export as one zip (data.json, index.html, csv/<category>.csv, csv/summaries.csv, manifest.json
 * with each entry's sha256) straight into the encrypted file. The record sets are read once, while data.json is
 * written into the zip; the page and the CSVs are written at the same time into encrypted spools and copied into
 * the zip after it. Neither the zip nor a record set is ever held whole in memory.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import type { DataCategory } from '../../../core/profile/schema';
import { categoryCsvHead, csvRecordLines, summariesCsv } from './export-csv';
import { encryptStream } from './export-crypto';
import { EXPORT_FORMAT, JsonDoc, setKey, type ExportMeta } from './export-json';
import { HtmlDoc } from './export-html';
import { categoriesOf, type ExportSources } from './export-sources';
import { Spool } from './export-spool';

/** One zip entry as listed in manifest.json. */
export interface ManifestEntry { path: string; bytes: number; sha256: string }

/** What was written. */
export interface BuiltExport { bytes: number; sha256: string; entries: ManifestEntry[]; counts: Record<string, number> }

/** Deflate level of the entries: 6 is zlib's default balance of size and speed. */
export const EXPORT_COMPRESSION_LEVEL = 6;

/** Text pieces gathered into chunks of about 64 KiB before they enter the zip stream. */
async function* chunked(parts: AsyncIterable<string>, size = 64 * 1024): AsyncGenerator<string> {
  let acc = '';
  for await (const p of parts) {
    acc += p;
    if (acc.length >= size) { yield acc; acc = ''; }
  }
  if (acc) yield acc;
}

/** The single pass over the record sets: yields data.json and feeds the page and CSV spools. */
async function* onePass(meta: ExportMeta, src: ExportSources, html: Spool, csv: Map<DataCategory, Spool>, counts: Map<string, number>): AsyncGenerator<string> {
  const json = new JsonDoc(meta, src);
  const page = new HtmlDoc(meta, src);
  yield json.head();
  await html.write(page.head());
  for (const [category, spool] of csv) await spool.write(categoryCsvHead(src, category));
  for (const s of src.sets) {
    yield json.setStart(s);
    await html.write(page.setStart(s));
    const sheet = csv.get(s.category)!;
    let n = 0;
    for await (const row of src.rows(s)) {
      yield json.row(row);
      const a = html.write(page.row(row));
      if (a) await a;
      const b = sheet.write(csvRecordLines(s, row, n));
      if (b) await b;
      n++;
    }
    counts.set(setKey(s), n);
    yield json.setEnd();
    await html.write(page.setEnd());
  }
  yield json.end();
  await html.write(page.end());
  await Promise.all([html.close(), ...[...csv.values()].map((sp) => sp.close())]);
}

/** Writes the encrypted export of `src` to `file` (created with mode 0600; must not exist). */
export async function writeExportFile(file: string, key: Buffer, meta: ExportMeta, src: ExportSources): Promise<BuiltExport> {
  const dir = path.dirname(file);
  const html = new Spool(dir);
  const csv = new Map<DataCategory, Spool>(categoriesOf(src).map((c) => [c, new Spool(dir)]));
  const zip = new ZipFile();
  const entries: ManifestEntry[] = [];
  const counts = new Map<string, number>();
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

  // Entries are written in order: data.json first (it drives the pass), then what the pass spooled.
  add('data.json', () => chunked(onePass(meta, src, html, csv, counts)));
  add('index.html', () => html.read());
  for (const [category, spool] of csv) add(`csv/${category}.csv`, () => spool.read());
  add('csv/summaries.csv', async function* summaries() { yield summariesCsv(src); });
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
  try {
    await pipeline(zip.outputStream, measure, encryptStream(key), fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } finally {
    html.discard();
    for (const spool of csv.values()) spool.discard();
  }
  return { bytes: zipBytes, sha256: zipHash.digest('hex'), entries, counts: Object.fromEntries(src.sets.map((s) => [setKey(s), counts.get(setKey(s)) ?? 0])) };
}
