/** Shared fixtures for the retention tests: brands with a retention table, subjects seeded in bulk at chosen dates, admin calls, a digest of every data table. */
import type { Knex } from 'knex';
import type { Suite } from '../../../core/suite';
import type { RetentionService } from '../../../modules/retention/retention-service';
import { rightsBrand, RIGHTS_PROFILE, type Json } from '../rights/fixtures';
import { digestTables } from '../../helpers/db-digest';

export const DAY = 86_400_000;
/** A fixed "now" for boundary tests (whole seconds, so MariaDB and SQLite store it alike). */
export const NOW = Math.floor(Date.now() / 1000) * 1000;

/** The retention service of a suite. */
export const retention = (suite: Suite): RetentionService => suite.kernel.service<RetentionService>('retention');

/** Creates a brand with the rights profile and this retention table; returns its id. */
export async function retentionBrand(suite: Suite, slug: string, rules: Record<string, unknown>[], extra: Record<string, unknown> = {}): Promise<number> {
  await rightsBrand(suite, slug, { retention: rules, ...extra });
  return (await suite.kernel.brands.get(slug)).id;
}

/** Approves every valid rule of a brand (as the CLI user). */
export async function approveAll(suite: Suite, slug: string): Promise<void> {
  const brand = await suite.kernel.brands.get(slug);
  for (const r of await retention(suite).rules(brand)) if (r.state === 'awaiting-approval') await retention(suite).approve(brand, r.id, {}, { type: 'cli', id: 'test' });
}

/** What to seed for one client. */
export interface Person {
  status?: 'active' | 'closed';
  closedAt?: number | null;
  createdAt?: number;
  /** Fields with category, value time (updated_at) and policy version. */
  fields?: { field: string; category: string; at?: number; version?: string | null }[];
  /** Paid invoices (paid_at); an unpaid one with `unpaidAt`. */
  paid?: number[];
  unpaidAt?: number;
  /** Activity log rows (created_at). */
  activity?: number[];
  /** Contacts (subjects of kind contact under the client). */
  contacts?: number;
}

const CONTACT_FIELDS = ['firstname', 'lastname', 'email', 'address1', 'city', 'country'];

async function nextId(db: Knex, table: string): Promise<number> {
  const r = (await db(table).max({ m: 'id' }).first()) as { m: number | null } | undefined;
  return Number(r?.m ?? 0) + 1;
}

/**
 * Inserts clients (platform client row, subject, encrypted fields, invoices, activity) straight into the tables, in
 * batches; returns the subject ids in order. Contact fields are always there unless `fields` is given.
 */
export async function seedClients(suite: Suite, brandId: number, people: Person[]): Promise<number[]> {
  const k = suite.kernel;
  await k.keyring.activeKeyId();
  const out: number[] = [];
  for (let start = 0; start < people.length; start += 100) {
    const chunk = people.slice(start, start + 100);
    let cid = await nextId(k.db, 'platform_clients');
    let sid = await nextId(k.db, 'subjects');
    await k.db.transaction(async (trx) => {
      const clients: Record<string, unknown>[] = [];
      const subjects: Record<string, unknown>[] = [];
      const fields: Record<string, unknown>[] = [];
      const invoices: Record<string, unknown>[] = [];
      const activity: Record<string, unknown>[] = [];
      for (const p of chunk) {
        const created = p.createdAt ?? NOW - 3000 * DAY;
        const status = p.status ?? (p.closedAt ? 'closed' : 'active');
        const n = cid;
        const email = `person.${brandId}.${n}@example.org`;
        clients.push({ id: cid, brand_id: brandId, status, personal_enc: k.keyring.encryptSync(JSON.stringify({ firstname: 'Emmy', lastname: `Noether${n}`, email })), email_hash: k.keyring.blindIndex(email), created_at: created, updated_at: created, closed_at: p.closedAt ?? null });
        subjects.push({ id: sid, brand_id: brandId, kind: 'client', external_id: String(cid), parent_id: null, status, email_hash: k.keyring.blindIndex(email), created_at: created, updated_at: created, closed_at: p.closedAt ?? null });
        const fs: NonNullable<Person['fields']> = p.fields ?? CONTACT_FIELDS.map((f) => ({ field: f, category: 'contact' }));
        for (const f of fs) fields.push({ subject_id: sid, field: f.field, category: f.category, value_enc: k.keyring.encryptSync(f.field === 'email' ? email : `${f.field}-${n}`), policy_version: f.version ?? null, updated_at: f.at ?? created });
        for (const at of p.paid ?? []) invoices.push({ brand_id: brandId, client_id: cid, total: 10, status: 'paid', paid_at: at, created_at: at });
        if (p.unpaidAt) invoices.push({ brand_id: brandId, client_id: cid, total: 10, status: 'unpaid', paid_at: null, created_at: p.unpaidAt });
        for (const at of p.activity ?? []) activity.push({ brand_id: brandId, client_id: cid, action: 'login', ip_enc: k.keyring.encryptSync('192.0.2.7'), created_at: at });
        out.push(sid);
        const parent = sid;
        cid++;
        sid++;
        for (let c = 0; c < (p.contacts ?? 0); c++) {
          subjects.push({ id: sid, brand_id: brandId, kind: 'contact', external_id: `${brandId}-${parent}-${c}`, parent_id: parent, status: 'active', email_hash: null, created_at: created, updated_at: created, closed_at: null });
          fields.push({ subject_id: sid, field: 'email', category: 'contact', value_enc: k.keyring.encryptSync(`contact.${parent}.${c}@example.org`), policy_version: null, updated_at: created });
          sid++;
        }
      }
      await trx('platform_clients').insert(clients);
      await trx('subjects').insert(subjects);
      for (let i = 0; i < fields.length; i += 200) await trx('subject_fields').insert(fields.slice(i, i + 200));
      if (invoices.length) await trx('platform_invoices').insert(invoices);
      if (activity.length) await trx('platform_activity_log').insert(activity);
    });
  }
  return out;
}

/** The state of one subject: status and its field names by category. */
export async function subjectState(suite: Suite, id: number): Promise<{ status: string; fields: Record<string, string[]> }> {
  const db = suite.kernel.db;
  const s = (await db('subjects').where({ id }).first('status')) as { status: string };
  const rows = (await db('subject_fields').where({ subject_id: id }).orderBy('field').select('field', 'category')) as { field: string; category: string }[];
  const fields: Record<string, string[]> = {};
  for (const r of rows) (fields[r.category] ??= []).push(r.field);
  return { status: s.status, fields };
}

/** Calls a retention admin route of `brand`. */
export async function retentionCall(baseUrl: string, key: string, brand: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${baseUrl}/api/v1/admin/brands/${brand}/modules/retention${path}`, {
    method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

/**
 * A sha256 of every row of every table, except what a dry run may write: its own report (retention_runs) and the
 * audit entry saying it ran (audit_log and that chain's head); `except` names more (a real run's lease row).
 */
export async function digestAll(suite: Suite, except: string[] = []): Promise<Record<string, string>> {
  return digestTables(suite.kernel.db, ['retention_runs', 'audit_log', ...except], { chain_heads: (q) => q.whereNot({ chain: 'audit_log' }) });
}

export { RIGHTS_PROFILE };
