/**
 * Fixtures for the batch erasure tests: a full customer (reference platform sign-up with IP and browser, marketing
 * consent, a contact, an order with a registered .com domain, a payment, optionally a third-party payer and a rights
 * request), a byte-identical copy of a test database (SQLite VACUUM INTO; MariaDB SHOW CREATE TABLE + INSERT … SELECT),
 * and a normalised digest of every table (ciphertexts decrypted, timestamps written during the erasure blanked).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knex from 'knex';
import type { Suite } from '../../../core/suite';
import type { ConsentService } from '../../../modules/consent/consent-service';
import type { PlatformService } from '../../../modules/platform';
import type { RightsService } from '../../../modules/rights/rights-service';
import { resultOf } from '../../../modules/rights/erase/batch-result';
import { allTables } from '../../helpers/rights-db-scan';
import type { TestDb } from '../../helpers/test-db';
import { drainOutbox } from '../../helpers/test-suite';

/** The ids of one built customer. */
export interface Customer { clientId: number; subjectId: number; contactSubjectIds: number[]; invoiceId: number; domain: string; payerSubjectId?: number }

/** Builds a customer on `brand` with the whole lifecycle; `n` makes its values unique. */
export async function fullCustomer(suite: Suite, brand: string, n: number, opts: { payer?: boolean; request?: boolean; contacts?: number; withdrawal?: boolean; token?: boolean } = {}): Promise<Customer> {
  const p = suite.kernel.service<PlatformService>('platform');
  const facts = { ip: `203.0.113.${n}`, userAgent: `BatchTestBrowser/${n}.0` };
  const s = await p.signUp(brand, {
    firstname: 'Augusta', lastname: `Byron${n}`, companyname: `Analytical Engines ${n} Ltd`, email: `augusta.${n}@example.org`, address1: `${n} Ockham Park`,
    city: 'Ripley', postcode: 'GU23 6NN', country: 'GB', phonenumber: `+44.14830${String(n).padStart(5, '0')}`, password: `correct horse battery ${n}`,
    accepttos: true, marketing_emails_opt_in: true,
  }, facts);
  const b = await suite.kernel.brands.get(brand);
  const contactSubjectIds: number[] = [];
  for (let i = 0; i < (opts.contacts ?? 1); i++) {
    const { contactId } = await p.addContact(s.clientId, { firstname: 'Charles', lastname: `Babbage${n}x${i}`, email: `charles.${n}.${i}@example.org` }, facts);
    contactSubjectIds.push((await suite.kernel.subjects.findByExternal(b.id, 'contact', contactId))!.id);
  }
  const domain = `engine${n}.com`;
  const o = await p.order(s.clientId, [{ type: 'hosting', product: 'Shared Hosting', domain, amount: 7.5 }, { type: 'domain', name: domain, regperiod: 1, idprotection: false, amount: 12 }], { accepttos: true }, facts);
  await p.pay(o.invoiceId, {}, facts);
  const dom = (await suite.kernel.db('platform_domains').where({ client_id: s.clientId, name: domain }).first('id')) as { id: number };
  await p.registerDomain(Number(dom.id), facts);
  let payerSubjectId: number | undefined;
  if (opts.payer) {
    await suite.kernel.db('platform_invoices').where({ id: o.invoiceId }).update({ status: 'unpaid', paid_at: null });
    const paid = await p.pay(o.invoiceId, { payer: { firstname: 'Pat', lastname: `Employer${n}`, companyname: `Globex ${n} GmbH`, email: `accounts.${n}@globex.test`, country: 'DE' } });
    payerSubjectId = paid.payerSubjectId!;
  }
  if (opts.request) {
    await suite.kernel.service<RightsService>('rights').open(b, { type: 'access', subjectId: s.subjectId!, name: `Augusta Byron${n}`, email: `augusta.${n}@example.org`, message: 'please send my data' }, { source: 'admin', actor: { type: 'cli', id: 'test' } });
  }
  if (opts.withdrawal) await suite.kernel.service<ConsentService>('consent').withdraw(brand, s.subjectId!, 'processing', {}, { ip: facts.ip, userAgent: facts.userAgent });
  // A double opt-in token still waiting (written as startDoubleOptIn stores it).
  if (opts.token) await suite.kernel.db('consent_tokens').insert({ token_hash: crypto.randomBytes(32).toString('hex'), brand_id: b.id, subject_id: s.subjectId!, purpose: 'marketing:sms', expires_at: Date.now() + 86_400_000, used_at: null });
  await drainOutbox(suite, { rounds: 20 });
  return { clientId: s.clientId, subjectId: s.subjectId!, contactSubjectIds, invoiceId: o.invoiceId, domain, payerSubjectId };
}

function mysqlConnection(u: URL) {
  return { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
}

/** A byte-identical copy of a test database (same ids, keys, ciphertexts), as a new TestDb to start a second suite on. */
export async function copyTestDb(suite: Suite, db: TestDb): Promise<TestDb> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psuite-copy-'));
  if (db.dialect === 'sqlite') {
    const file = path.join(dataDir, 'suite.sqlite');
    await suite.kernel.db.raw('VACUUM INTO ?', [file]);
    return { url: `sqlite:${file}`, dataDir, dialect: 'sqlite', drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const src = new URL(db.url);
  const from = src.pathname.slice(1);
  const name = `psuite_t_${crypto.randomBytes(5).toString('hex')}`;
  const k = knex({ client: 'mysql2', connection: mysqlConnection(src), pool: { min: 1, max: 1 } });
  try {
    await k.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await k.raw(`USE \`${name}\``);
    await k.raw('SET FOREIGN_KEY_CHECKS = 0');
    for (const table of await allTables(suite)) {
      const [[row]] = (await k.raw(`SHOW CREATE TABLE \`${from}\`.\`${table}\``)) as unknown as [[Record<string, string>]];
      await k.raw(row['Create Table']);
      await k.raw(`INSERT INTO \`${name}\`.\`${table}\` SELECT * FROM \`${from}\`.\`${table}\``);
    }
    await k.raw('SET FOREIGN_KEY_CHECKS = 1');
  } finally {
    await k.destroy();
  }
  const u = new URL(db.url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(), dataDir, dialect: 'mysql',
    drop: async () => {
      const a = knex({ client: 'mysql2', connection: mysqlConnection(u) });
      await a.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      await a.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A time span: epoch-ms numbers inside it (also 13-digit runs inside strings) are written as 'T'. */
export interface Window { from: number; to: number }

const CIPHER = /^v1\.[^.]+\./;

function normalise(suite: Suite, v: unknown, w: Window): unknown {
  const within = (n: number): boolean => n >= w.from && n <= w.to;
  if (typeof v === 'number') return within(v) ? 'T' : v;
  if (typeof v === 'string') {
    if (CIPHER.test(v)) {
      const plain = suite.kernel.keyring.decryptSync(v);
      let parsed: unknown = plain;
      try {
        parsed = JSON.parse(plain);
      } catch {
        // a plain string
      }
      return { decrypted: normalise(suite, parsed, w) };
    }
    return v.replace(/\d{13}/g, (d) => (within(Number(d)) ? 'T' : d));
  }
  if (Buffer.isBuffer(v)) return v.toString('hex');
  if (Array.isArray(v)) return v.map((x) => normalise(suite, x, w));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(suite, x, w)]));
  return v;
}

/**
 * Every table's rows, normalised and sorted, as JSON lines per table; `skip` leaves tables out (the audit log, whose
 * granularity differs by design) and the audit chain's head goes with it.
 */
export async function digest(suite: Suite, w: Window, skip: string[] = []): Promise<Record<string, string[]>> {
  await suite.kernel.keyring.activeKeyId();
  const out: Record<string, string[]> = {};
  for (const table of await allTables(suite)) {
    if (skip.includes(table)) continue;
    // A batch stores its answers once (rights_erasure_batches): each erasure row is compared by the answer it resolves to.
    if (table === 'rights_erasure_batches') continue;
    let rows = (await suite.kernel.db(table).select('*')) as Record<string, unknown>[];
    if (table === 'chain_heads') rows = rows.filter((r) => !skip.includes(String(r.chain)));
    if (table === 'rights_erasures') {
      rows = await Promise.all(rows.map(async ({ result_enc: _enc, batch_id: _batch, ...r }) => ({ ...r, result: await resultOf(suite.kernel, suite.kernel.db, { subject_id: r.subject_id as number, result_enc: _enc as string | null, batch_id: _batch as number | null }) })));
    }
    out[table] = rows.map((r) => JSON.stringify(normalise(suite, r, w))).sort();
  }
  return out;
}
