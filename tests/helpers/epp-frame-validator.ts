/** Validates EPP frames against the vendored spec/standards/epp/all.xsd with libxml2 compiled to WebAssembly (xmllint-wasm): no xmllint binary needed. */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** A file in libxml2's in-memory file system (the shape xmllint-wasm takes). */
type XMLFileInfo = { fileName: string; contents: string };

/** The vendored schema that imports EPP, contact, domain, host, secDNS and rgp. */
export const EPP_ALL_XSD = path.resolve(__dirname, '../../spec/standards/epp/all.xsd');

type Schemas = { main: XMLFileInfo; preload: XMLFileInfo[] };

/**
 * Reads `entry` and, transitively, every schema it imports or includes, keyed by the schemaLocation the
 * imports use (libxml2 resolves them relative to the importing file, and all of them sit in one folder).
 * Throws naming the file when one is missing, so a lost schema fails the tests instead of passing them.
 */
export function loadSchemaSet(entry: string): Schemas {
  const dir = path.dirname(entry);
  const files = new Map<string, string>();
  const visit = (name: string, from: string): void => {
    if (files.has(name)) return;
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) throw new Error(`EPP schema ${file} (imported by ${from}) is absent: frames cannot be validated`);
    const text = fs.readFileSync(file, 'utf8');
    files.set(name, text);
    for (const m of text.matchAll(/<(?:\w+:)?(?:import|include)\b[^>]*\bschemaLocation="([^"]+)"/g)) visit(m[1], name);
  };
  visit(path.basename(entry), 'the EPP frame validator');
  const [main, ...preload] = [...files].map(([fileName, contents]) => ({ fileName, contents }));
  return { main, preload };
}

let schemas: Schemas | undefined;
let worker: Worker | undefined;
let nextId = 0;
let started = 0;

/** How many libxml2 workers this test file has started (one, unless one crashed). */
export const workersStarted = (): number => started;
const pending = new Map<number, (r: { exitCode: number; stderr: string }) => void>();
if (typeof afterAll === 'function') afterAll(() => worker?.terminate());

/**
 * Runs libxml2 in one long-lived worker per test file (tests/helpers/xmllint-worker.cjs), which compiles the
 * WebAssembly once: ~20 ms a frame instead of ~130 ms for xmllint-wasm's validateXML, which starts a worker per call.
 */
function libxml2(inputFiles: XMLFileInfo[], args: string[]): Promise<{ exitCode: number; stderr: string }> {
  if (!worker) {
    const w = new Worker(path.join(__dirname, 'xmllint-worker.cjs'));
    started += 1;
    w.on('message', (m: { id: number; exitCode: number; stderr: string }) => {
      pending.get(m.id)?.(m);
      pending.delete(m.id);
      if (pending.size === 0) w.unref(); // idle: a test file must not wait for this thread to end
    });
    const fail = (why: string) => {
      if (worker === w) worker = undefined;
      for (const [id, resolve] of pending) { resolve({ exitCode: -1, stderr: `libxml2 worker ${why}` }); pending.delete(id); }
    };
    w.on('error', (e) => fail(`failed: ${e.message}`));
    w.on('exit', (code) => fail(`exited with code ${code}`));
    worker = w;
  }
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    worker!.ref(); // busy: keep the process alive until libxml2 answers
    worker!.postMessage({ kind: 'epp-frame-validator', id, inputFiles, args });
  });
}

/**
 * Validates one frame; resolves null when valid, else libxml2's complaint, as `xmllint --noout --schema` prints
 * it. When a schema is absent the complaint says so: the frame counts as invalid and the test fails.
 */
export async function validateEppFrame(xml: string, schemaEntry = EPP_ALL_XSD): Promise<string | null> {
  let set: Schemas;
  try {
    set = schemaEntry === EPP_ALL_XSD ? (schemas ??= loadSchemaSet(EPP_ALL_XSD)) : loadSchemaSet(schemaEntry);
  } catch (e) {
    return (e as Error).message;
  }
  const frame = { fileName: 'frame.xml', contents: xml };
  const r = await libxml2([frame, set.main, ...set.preload], ['--noout', '--schema', set.main.fileName, frame.fileName]);
  return r.exitCode === 0 ? null : r.stderr.replace(/^frame\.xml fails to validate\n?/m, '').trim() || `libxml2 exit ${r.exitCode}`;
}
