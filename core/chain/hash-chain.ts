/**
 * Append-only, hash-chained tables (audit log, disclosure log, consent ledger). Each row stores the hash of the
 * previous row and its own hash over its content; `verify` walks the chain and names the first broken link.
 * Appends are serialised through a row in chain_heads (SELECT … FOR UPDATE on MySQL; SQLite serialises writers).
 */
import crypto from 'node:crypto';
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
  async append(trx: Knex.Transaction, row: Record<string, unknown>): Promise<{ id: number; seq: number; hash: string }> {
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
   * Reads up to `limit` rows after `after` as arrays of `readColumns` (arrays skip building an object per row, the
   * main cost of a long walk): the SQLite driver's raw mode, mysql2's rowsAsArray, objects turned into arrays otherwise.
   */
  private async readBatch(db: Knex, after: number, limit: number): Promise<unknown[][]> {
    const cols = this.readColumns;
    if (!db.isTransaction && dialectOfKnex(db) === 'sqlite') {
      const client = db.client as { acquireConnection: () => Promise<SqliteConnection>; releaseConnection: (c: SqliteConnection) => Promise<void> };
      const conn = await client.acquireConnection();
      try {
        const sql = `SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM "${this.table}" WHERE "seq" > ? ORDER BY "seq" LIMIT ?`;
        return conn.prepare(sql).raw(true).all(after, limit);
      } finally {
        await client.releaseConnection(conn);
      }
    }
    const q = db(this.table).select(cols).where('seq', '>', after).orderBy('seq').limit(limit);
    if (dialectOfKnex(db) === 'mysql') return (await q.options({ rowsAsArray: true })) as unknown[][];
    return ((await q) as Record<string, unknown>[]).map((r) => cols.map((c) => r[c]));
  }

  /**
   * Walks the whole chain in order; reports the first row whose link or content hash does not match. Reads only the
   * hashed columns, in keyset-paged batches of `batchSize` rows, the next batch in flight while one is hashed.
   */
  async verify(db: Knex, batchSize = 20_000): Promise<ChainVerdict> {
    let prev = GENESIS;
    let expectedSeq = 1;
    let checked = 0;
    let lastSeq = 0;
    let next = this.readBatch(db, 0, batchSize);
    for (;;) {
      const rows = await next;
      if (rows.length === 0) break;
      // Read the next batch while this one is hashed (a MySQL server works in parallel; a stopped walk drops it).
      next = this.readBatch(db, Number(rows[rows.length - 1][1]), batchSize);
      next.catch(() => undefined);
      for (const r of rows) {
        const id = Number(r[0]);
        const seq = Number(r[1]);
        if (seq !== expectedSeq) return { chain: this.table, ok: false, checked, brokenAt: { seq: expectedSeq, id, reason: `row seq ${expectedSeq} is missing (next is ${seq})` } };
        if (r[2] !== prev) return { chain: this.table, ok: false, checked, brokenAt: { seq, id, reason: 'prev_hash does not match the previous row' } };
        const hash = crypto.createHash('sha256').update(prev).update(this.canonicalContent(r)).digest('hex');
        if (hash !== r[3]) return { chain: this.table, ok: false, checked, brokenAt: { seq, id, reason: 'content was changed after it was written' } };
        prev = hash;
        expectedSeq += 1;
        checked += 1;
        lastSeq = seq;
      }
    }
    const head = (await db('chain_heads').where({ chain: this.table }).first()) as { seq: number; hash: string } | undefined;
    if (head && (Number(head.seq) !== lastSeq || head.hash !== prev)) {
      return { chain: this.table, ok: false, checked, brokenAt: { seq: Number(head.seq), id: -1, reason: `rows after seq ${lastSeq} were removed (head says ${head.seq})` } };
    }
    return { chain: this.table, ok: true, checked };
  }
}
