/**
 * Fills a consent ledger with N valid, hash-chained rows as fast as the database takes them (bench set-up only):
 * hashes are computed with the chain's own `linkHash`, rows go in as multi-row inserts, then chain_heads is set.
 */
import type { Knex } from 'knex';
import { GENESIS, linkHash } from '../../core/chain/hash-chain';
import { dialectOfKnex } from '../../core/db/connection';

const PURPOSES = ['marketing:email', 'marketing:sms', 'terms', 'privacy', 'cookies:analytics'];
const ACTIONS = ['given', 'withdrawn'];
const POINTS = ['registration', 'checkout', 'newsletter', 'cookie-banner', 'privacy-center'];

/** The columns the consent chain's hash covers (besides seq and created_at), as consent-ledger.ts declares them. */
const CONTENT = ['receipt_id', 'brand_id', 'controller', 'subject_id', 'subject_key', 'purpose', 'action', 'method', 'channel', 'collection_point',
  'document_id', 'document_version', 'document_hash', 'banner_version', 'ip_hash', 'ua_hash'] as const;

const hex64 = (i: number, salt: string) => `${salt}${i.toString(16).padStart(12, '0')}`.padEnd(64, 'f').slice(0, 64);

/** Row `seq` (1-based) of the synthetic ledger, without its chain fields. */
function rowAt(seq: number, brandId: number, t0: number): Record<string, string | number | null> {
  const subject = (seq % 50_000) + 1;
  const withDoc = seq % 3 === 0;
  return {
    receipt_id: `rcpt_${seq.toString(16).padStart(32, '0')}`, brand_id: brandId, controller: 'Bench Hosting Ltd', subject_id: subject,
    subject_key: hex64(subject, 'a1'), purpose: PURPOSES[seq % PURPOSES.length], action: ACTIONS[(seq >> 3) % 2], method: 'checkbox', channel: 'web',
    collection_point: POINTS[seq % POINTS.length], document_id: withDoc ? 1 : null, document_version: withDoc ? '2026-01' : null,
    document_hash: withDoc ? hex64(1, 'd0') : null, banner_version: null, ip_hash: hex64(seq % 977, 'b2'), ua_hash: hex64(seq % 31, 'c3'),
    ip_enc: null, ua_enc: null, created_at: t0 + seq,
  };
}

/** Yields batches of complete rows (seq, prev_hash, hash included) for a chain of `total` rows. */
function* batches(total: number, batchSize: number, brandId: number): Generator<Record<string, string | number | null>[]> {
  let prev = GENESIS;
  const t0 = Date.now() - total;
  for (let start = 1; start <= total; start += batchSize) {
    const out: Record<string, string | number | null>[] = [];
    for (let seq = start; seq < Math.min(total + 1, start + batchSize); seq++) {
      const r = rowAt(seq, brandId, t0);
      const content: Record<string, unknown> = { seq, created_at: r.created_at };
      for (const c of CONTENT) content[c] = r[c];
      const hash = linkHash(prev, content);
      out.push({ ...r, seq, prev_hash: prev, hash });
      prev = hash;
    }
    yield out;
  }
}

/**
 * Fills through knex with multi-row inserts: on SQLite 400 rows each (knex's INSERT … SELECT … UNION ALL stays under
 * SQLite's 500-term limit), one transaction per 125 of them; on MariaDB/MySQL 2,000 rows each, `parallel` in flight.
 */
export async function fillLedger(db: Knex, total: number, brandId: number, parallel = 4): Promise<void> {
  let last: { seq: number; hash: string } = { seq: 0, hash: GENESIS };
  const mysql = dialectOfKnex(db) === 'mysql';
  let pending: Record<string, string | number | null>[][] = [];
  const inFlight = new Set<Promise<void>>();
  const flush = async (): Promise<void> => {
    const group = pending;
    pending = [];
    if (!group.length) return;
    const p: Promise<void> = (mysql
      ? Promise.all(group.map((b) => db('consent_ledger').insert(b))).then(() => undefined)
      : db.transaction(async (trx) => { for (const b of group) await trx('consent_ledger').insert(b); }))
      .finally(() => { inFlight.delete(p); });
    inFlight.add(p);
    if (!mysql || inFlight.size >= parallel) await Promise.race(inFlight);
  };
  for (const batch of batches(total, mysql ? 2_000 : 400, brandId)) {
    pending.push(batch);
    last = { seq: Number(batch[batch.length - 1].seq), hash: String(batch[batch.length - 1].hash) };
    if (pending.length >= (mysql ? 1 : 125)) await flush();
  }
  await flush();
  await Promise.all(inFlight);
  await db('chain_heads').where({ chain: 'consent_ledger' }).delete();
  await db('chain_heads').insert({ chain: 'consent_ledger', seq: last.seq, hash: last.hash });
}
