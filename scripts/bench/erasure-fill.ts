/**
 * Fills a brand with "minimal" data subjects as fast as the database takes them (bench and test set-up only): a closed
 * client subject with five encrypted fields (name, email, phone, country); every `clientEvery`-th one also a reference
 * platform client row (encrypted details, email blind index), every `consentEvery`-th one a marketing consent state.
 * Rows go in as multi-row inserts with explicit ids, one transaction per 10,000 subjects.
 */
import type { Knex } from 'knex';
import { dialectOfKnex } from '../../core/db/connection';
import type { Kernel } from '../../core/kernel';

/** What to fill. */
export interface FillOptions { brandId: number; count: number; clientEvery?: number; consentEvery?: number }

const FIELDS = ['firstname', 'lastname', 'email', 'phonenumber', 'country'] as const;

async function maxId(db: Knex, table: string): Promise<number> {
  const r = (await db(table).max({ m: 'id' }).first()) as { m: number | string | null } | undefined;
  return Number(r?.m ?? 0);
}

async function insert(trx: Knex.Transaction, table: string, rows: Record<string, unknown>[], chunk: number): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) await trx(table).insert(rows.slice(i, i + chunk));
}

/** Inserts `count` minimal subjects of the brand and returns their subject ids, in order. */
export async function fillMinimalSubjects(kernel: Kernel, opts: FillOptions): Promise<number[]> {
  const { brandId, count } = opts;
  const clientEvery = opts.clientEvery ?? 2;
  const consentEvery = opts.consentEvery ?? 3;
  const chunk = dialectOfKnex(kernel.db) === 'mysql' ? 1000 : 250; // SQLite: at most 500 compound selects per insert
  await kernel.keyring.activeKeyId();
  const subjectBase = await maxId(kernel.db, 'subjects');
  let clientId = await maxId(kernel.db, 'platform_clients');
  const t0 = Date.now() - 3 * 365 * 86_400_000;
  const ids: number[] = [];
  for (let from = 0; from < count; from += 10_000) {
    const subjects: Record<string, unknown>[] = [];
    const fields: Record<string, unknown>[] = [];
    const clients: Record<string, unknown>[] = [];
    const consent: Record<string, unknown>[] = [];
    for (let i = from; i < Math.min(count, from + 10_000); i++) {
      const id = subjectBase + i + 1;
      const n = id;
      const email = `ada.${n}@bench.example`;
      const values: Record<(typeof FIELDS)[number], string> = { firstname: 'Ada', lastname: `Lovelace${n}`, email, phonenumber: `+44.20${String(n).padStart(8, '0')}`, country: 'GB' };
      const client = i % clientEvery === 0;
      if (client) {
        clientId++;
        clients.push({ id: clientId, brand_id: brandId, status: 'closed', personal_enc: kernel.keyring.encryptSync(JSON.stringify(values)), email_hash: kernel.keyring.blindIndex(email), password_hash: null, created_at: t0, updated_at: t0, closed_at: t0 + 86_400_000 });
      }
      subjects.push({ id, brand_id: brandId, kind: 'client', external_id: String(client ? clientId : 100_000_000 + n), parent_id: null, status: 'closed', email_hash: kernel.keyring.blindIndex(email), created_at: t0, updated_at: t0, closed_at: t0 + 86_400_000 });
      for (const f of FIELDS) fields.push({ subject_id: id, field: f, category: 'contact', value_enc: kernel.keyring.encryptSync(values[f]), policy_version: '2024-01', updated_at: t0 });
      if (i % consentEvery === 0) {
        consent.push({ brand_id: brandId, subject_key: kernel.keyring.blindIndex(`bench:${id}`, 'bench'), purpose: 'marketing:email', subject_id: id, action: 'given', method: 'checkbox', receipt_id: `rcpt_bench_${id}`, document_version: null, seq: id, updated_at: t0 });
      }
      ids.push(id);
    }
    await kernel.db.transaction(async (trx) => {
      await insert(trx, 'platform_clients', clients, chunk);
      await insert(trx, 'subjects', subjects, chunk);
      await insert(trx, 'subject_fields', fields, chunk);
      await insert(trx, 'consent_state', consent, chunk);
    });
  }
  return ids;
}
