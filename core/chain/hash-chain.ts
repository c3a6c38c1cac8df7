/**
 * Append-only, hash-chained tables (audit log, disclosure log, consent ledger). Each row stores the hash of the
 * previous row and its own hash over its content; `verify` walks the chain and names the first broken link.
 * Appends are serialised through a row in chain_heads (SELECT … FOR UPDATE on MySQL; SQLite serialises writers).
 */
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Knex } from 'knex';
import { dialectOfKnex } from '../db/connection';

export const GENESIS = '0'.repeat(64);

/** The slice of a better-sqlite3 connection `verify` uses. */
interface SqliteConnection { prepare: (sql: string) => { raw: (on: boolean) => { all: (...params: unknown[]) => unknown[][] } } }

/** Stable JSON: keys sorted, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj).sort().filter((k) => obj[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

const LONE_SURROGATES = /[\uD800-\uDFFF]/gu;

/**
 * The row with every lone UTF-16 surrogate in its text replaced by U+FFFD, which is what SQLite and MariaDB store in
 * its place: the hash then covers exactly what is kept, so no accepted text can break a chain.
 */
export function wellFormedRow(row: Record<string, unknown>): Record<string, unknown> {
  let out = row;
  for (const [k, v] of Object.entries(row)) {
    if (typeof v !== 'string' || !v.match(LONE_SURROGATES)) continue;
    if (out === row) out = { ...row };
    out[k] = v.replace(LONE_SURROGATES, '\uFFFD');
  }
  return out;
}

/** sha256(prev_hash + canonical content). */
export function linkHash(prevHash: string, content: Record<string, unknown>): string {
  return crypto.createHash('sha256').update(prevHash).update(canonicalJson(content)).digest('hex');
}

/** Creates the chain_heads table (kernel migration). */
export async function createChainHeads(db: Knex): Promise<void> {
  await db.schema.createTable('chain_heads', (t) => {
    t.string('chain', 64).primary();
    t.bigInteger('seq').notNullable();
    t.string('hash', 64).notNullable();
  });
}

/**
 * Creates the head rows of `chains` that do not exist yet, each in its own statement (at start-up). The first append
 * to a chain then locks an existing row: on MySQL a locking read of a missing head takes a gap lock, and two first
 * appends holding it deadlock on their inserts.
 */
export async function ensureChainHeads(db: Knex, chains: { table: string }[]): Promise<void> {
  for (const c of chains) await db('chain_heads').insert({ chain: c.table, seq: 0, hash: GENESIS }).onConflict('chain').ignore();
}

/** Adds the chain columns (seq, prev_hash, hash, created_at) to a table being created. */
export function chainColumns(t: Knex.CreateTableBuilder): void {
  t.bigIncrements('id');
  t.bigInteger('seq').notNullable().unique();
  t.string('prev_hash', 64).notNullable();
  t.string('hash', 64).notNullable();
  t.bigInteger('created_at').notNullable();
}

/** The result of verifying a chain: ok, or the first broken link and why. */
export interface ChainVerdict { chain: string; ok: boolean; checked: number; brokenAt?: { seq: number; id: number; reason: string } }

/** One hash-chained table; `content` lists the columns covered by the hash (besides seq, prev_hash and created_at). */
export class HashChain {
  /** The columns `verify` reads, in this order: id, seq, prev_hash, hash, created_at, then the content columns. */
  private readonly readColumns: string[];
  /** The hashed keys in canonicalJson's sorted order, each with its JSON key prefix and its index in `readColumns`. */
  private readonly sortedKeys: { key: string; prefix: string; index: number; numeric: boolean }[];

  constructor(readonly table: string, private readonly content: string[]) {
    this.readColumns = [...new Set(['id', 'seq', 'prev_hash', 'hash', 'created_at', ...content])];
    this.sortedKeys = [...new Set(['seq', 'created_at', ...content])].sort().map((key, i) => ({
      key, prefix: `${i ? ',' : '{'}${JSON.stringify(key)}:`, index: this.readColumns.indexOf(key), numeric: key === 'seq' || key === 'created_at',
    }));
  }

  /** Appends one row inside the given transaction and returns it with its hash. */
  async append(trx: Knex.Transaction, input: Record<string, unknown>): Promise<{ id: number; seq: number; hash: string }> {
    const row = wellFormedRow(input);
    const head = await this.lockHead(trx);
    const seq = head.seq + 1;
    const createdAt = typeof row.created_at === 'number' ? row.created_at : Date.now();
    const content = this.contentOf({ ...row, seq, created_at: createdAt });
    const hash = linkHash(head.hash, content);
    const [id] = await trx(this.table).insert({ ...row, seq, prev_hash: head.hash, hash, created_at: createdAt });
    await trx('chain_heads').where({ chain: this.table }).update({ seq, hash });
    return { id: Number(id), seq, hash };
  }

  private contentOf(row: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { seq: Number(row.seq), created_at: Number(row.created_at) };
    for (const c of this.content) out[c] = row[c] === undefined ? null : row[c];
    return out;
  }

  private async lockHead(trx: Knex.Transaction): Promise<{ seq: number; hash: string }> {
    const q = trx('chain_heads').where({ chain: this.table });
    let head = (await (dialectOfKnex(trx) === 'mysql' ? q.forUpdate() : q).first()) as { seq: number; hash: string } | undefined;
    if (!head) {
      await trx('chain_heads').insert({ chain: this.table, seq: 0, hash: GENESIS });
      const q2 = trx('chain_heads').where({ chain: this.table });
      head = (await (dialectOfKnex(trx) === 'mysql' ? q2.forUpdate() : q2).first()) as { seq: number; hash: string };
    }
    return { seq: Number(head.seq), hash: head.hash };
  }

  /**
   * canonicalJson(contentOf(row)) for a row read as an array of `readColumns`, without building an object or sorting
   * keys per row. Scalars are serialised by JSON.stringify exactly as canonicalJson does; anything else goes through it.
   */
  private canonicalContent(row: unknown[]): string {
    let out = '';
    for (const { prefix, index, numeric } of this.sortedKeys) {
      let v = row[index];
      if (numeric) v = Number(v);
      else if (v === undefined) v = null;
      out += prefix + (v === null || typeof v !== 'object' ? JSON.stringify(v) : canonicalJson(v));
    }
    return `${out}}`;
  }

  /**
   * Reads up to `limit` rows with `after` < seq (≤ `upTo`) as arrays of `readColumns` (arrays skip building an object
   * per row, the main cost of a long walk): the SQLite driver's raw mode, mysql2's rowsAsArray, objects otherwise.
   */
  private async readBatch(db: Knex, after: number, limit: number, upTo = Infinity): Promise<unknown[][]> {
    const cols = this.readColumns;
    const bounded = Number.isFinite(upTo);
    if (!db.isTransaction && dialectOfKnex(db) === 'sqlite') {
      const client = db.client as { acquireConnection: () => Promise<SqliteConnection>; releaseConnection: (c: SqliteConnection) => Promise<void> };
      const conn = await client.acquireConnection();
      try {
        const sql = `SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM "${this.table}" WHERE "seq" > ?${bounded ? ' AND "seq" <= ?' : ''} ORDER BY "seq" LIMIT ?`;
        return conn.prepare(sql).raw(true).all(...(bounded ? [after, upTo, limit] : [after, limit]));
      } finally {
        await client.releaseConnection(conn);
      }
    }
    const q = db(this.table).select(cols).where('seq', '>', after).orderBy('seq').limit(limit);
    if (bounded) q.andWhere('seq', '<=', upTo);
    if (dialectOfKnex(db) === 'mysql') return (await q.options({ rowsAsArray: true })) as unknown[][];
    return ((await q) as Record<string, unknown>[]).map((r) => cols.map((c) => r[c]));
  }

  /**
   * Checks the rows with `after` < seq ≤ `upTo` on their own: consecutive seqs, each prev_hash equal to the previous
   * row's hash, each hash equal to sha256(its own prev_hash + content). The first row's seq and prev_hash are left to
   * `verify`, which joins the segments in order. Stops at the first bad row. Runs in process or in a verify worker.
   */
  async checkSegment(db: Knex, after: number, upTo: number, batchSize: number): Promise<ChainSegment> {
    const seg: ChainSegment = { checked: 0 };
    let expectedSeq = 0;
    let prev = '';
    let next = this.readBatch(db, after, batchSize, upTo);
    for (;;) {
      const rows = await next;
      if (rows.length === 0) return seg;
      // Read the next batch while this one is hashed (a MySQL server works in parallel; a stopped walk drops it).
      next = this.readBatch(db, Number(rows[rows.length - 1][1]), batchSize, upTo);
      next.catch(() => undefined);
      for (const r of rows) {
        const id = Number(r[0]);
        const seq = Number(r[1]);
        const prevHash = r[2] as string;
        if (!seg.first) {
          seg.first = { seq, id, prevHash };
          expectedSeq = seq;
        } else if (seq !== expectedSeq) {
          seg.failure = { seq: expectedSeq, id, reason: `row seq ${expectedSeq} is missing (next is ${seq})` };
        } else if (prevHash !== prev) {
          seg.failure = { seq, id, reason: 'prev_hash does not match the previous row' };
        }
        if (!seg.failure && crypto.createHash('sha256').update(prevHash).update(this.canonicalContent(r)).digest('hex') !== r[3]) {
          seg.failure = { seq, id, reason: 'content was changed after it was written' };
        }
        if (seg.failure) return seg;
        prev = r[3] as string;
        seg.last = { seq, hash: prev };
        expectedSeq += 1;
        seg.checked += 1;
      }
    }
  }

  /**
   * Walks the whole chain in seq order and reports the first broken link: a missing seq, a prev_hash that is not the
   * previous row's hash, a hash that does not match the row's content, or rows removed after the last one (chain_heads).
   * Reads only the hashed columns in keyset-paged batches. Long chains (≥ `parallelMin` rows, read outside a
   * transaction from a file or server) are split into seq ranges checked by `workers` worker threads, each with its own
   * connection, and joined in order: the verdict is the same as a single walk's.
   */
  async verify(db: Knex, opts: number | VerifyOptions = {}): Promise<ChainVerdict> {
    const { batchSize = 20_000, workers = defaultVerifyWorkers(), parallelMin = 200_000, fallback = true } = typeof opts === 'number' ? { batchSize: opts } : opts;
    const config = workers > 1 ? workerConfigOf(db) : undefined;
    if (config) {
      const max = Number(((await db(this.table).max({ m: 'seq' }).first()) as { m: unknown } | undefined)?.m ?? 0);
      if (max >= Math.max(parallelMin, workers)) {
        const bounds = Array.from({ length: workers + 1 }, (_, i) => (i === workers ? Infinity : Math.floor((max * i) / workers)));
        const started = bounds.slice(0, -1).map((after, i) => runVerifyWorker({ table: this.table, content: this.content, config, after, upTo: bounds[i + 1], batchSize }));
        try {
          return await this.join(db, started.map((w) => w.result));
        } catch (err) {
          // A worker could not run (its connection or thread failed): walk in process instead, the same verdict.
          if (!fallback) throw err;
        } finally {
          for (const w of started) w.stop();
        }
      }
    }
    return this.join(db, [this.checkSegment(db, 0, Infinity, batchSize)]);
  }

  /** Joins checked segments in seq order into a verdict, then compares the last row with chain_heads. */
  private async join(db: Knex, segments: Promise<ChainSegment>[]): Promise<ChainVerdict> {
    for (const s of segments) s.catch(() => undefined);
    let prev = GENESIS;
    let expectedSeq = 1;
    let checked = 0;
    const broken = (brokenAt: ChainVerdict['brokenAt']): ChainVerdict => ({ chain: this.table, ok: false, checked, brokenAt });
    for (const pending of segments) {
      const seg = await pending;
      if (seg.first) {
        if (seg.first.seq !== expectedSeq) return broken({ seq: expectedSeq, id: seg.first.id, reason: `row seq ${expectedSeq} is missing (next is ${seg.first.seq})` });
        if (seg.first.prevHash !== prev) return broken({ seq: seg.first.seq, id: seg.first.id, reason: 'prev_hash does not match the previous row' });
      }
      checked += seg.checked;
      if (seg.failure) return broken(seg.failure);
      if (seg.last) {
        prev = seg.last.hash;
        expectedSeq = seg.last.seq + 1;
      }
    }
    const lastSeq = expectedSeq - 1;
    const head = (await db('chain_heads').where({ chain: this.table }).first()) as { seq: number; hash: string } | undefined;
    if (head && (Number(head.seq) !== lastSeq || head.hash !== prev)) {
      return broken({ seq: Number(head.seq), id: -1, reason: `rows after seq ${lastSeq} were removed (head says ${head.seq})` });
    }
    return { chain: this.table, ok: true, checked };
  }
}

/**
 * How `verify` reads: rows per batch, worker threads for long chains (0 or 1: in process), what counts as long, and
 * whether a failed worker falls back to walking in process (the default) or fails the call (tests).
 */
export interface VerifyOptions { batchSize?: number; workers?: number; parallelMin?: number; fallback?: boolean }

/** One seq range checked on its own (see HashChain.checkSegment). */
export interface ChainSegment {
  first?: { seq: number; id: number; prevHash: string };
  last?: { seq: number; hash: string };
  failure?: { seq: number; id: number; reason: string };
  checked: number;
}

/** Two workers (reading and hashing on two cores beside the database), more on bigger machines, at most four. */
function defaultVerifyWorkers(): number {
  return Math.min(4, Math.max(2, os.availableParallelism()));
}

/** The knex settings a worker thread opens its own connection with, or undefined when it cannot (a transaction, :memory:). */
function workerConfigOf(db: Knex): Knex.Config | undefined {
  if (db.isTransaction) return undefined;
  const config = (db.client as { config: Knex.Config }).config;
  const connection = config.connection as { filename?: string } | undefined;
  if (!connection || typeof connection !== 'object') return undefined;
  if (dialectOfKnex(db) === 'sqlite' && (!connection.filename || connection.filename === ':memory:' || connection.filename.startsWith('file:'))) return undefined;
  try {
    return structuredClone({ client: config.client, connection, useNullAsDefault: true, pool: { min: 0, max: 1 } }) as Knex.Config;
  } catch {
    return undefined; // settings with functions cannot cross to a thread
  }
}

/** Checks one seq range in a worker thread (core/chain/verify-worker.ts, loaded through tsx like the rest of the suite). */
function runVerifyWorker(data: { table: string; content: string[]; config: Knex.Config; after: number; upTo: number; batchSize: number }): { result: Promise<ChainSegment>; stop: () => void } {
  const worker = new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(path.join(__dirname, 'verify-worker.ts'))});`, {
    eval: true, workerData: { ...data, upTo: Number.isFinite(data.upTo) ? data.upTo : null },
  });
  const result = new Promise<ChainSegment>((resolve, reject) => {
    worker.once('message', (m: { segment?: ChainSegment; error?: string }) => (m.segment ? resolve(m.segment) : reject(new Error(`chain verify worker: ${m.error}`))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`chain verify worker stopped (exit code ${code})`)));
  });
  return { result, stop: () => { void worker.terminate(); } };
}
