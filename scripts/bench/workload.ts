/** The bench workload: signed WHMCS ClientAdd events, each for a distinct client, and the three ways to record them. */
import http from 'node:http';
import type { Knex } from 'knex';
import { signHook } from '../../core/http/signature';
import { dialectOfKnex } from '../../core/db/connection';
import { FIELD_CATEGORIES, SECRET_FIELDS } from '../../core/subjects/field-catalogue';
import type { Keyring } from '../../core/crypto/keyring';
import type { Suite } from '../../core/suite';

export const BENCH_BRAND = 'bench-shop';
const CONTEXT = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (bench) WHMCS/8.13', locale: 'en' };

/** The ClientAdd variables WHMCS sends for client `id` (plain password included: the suite must drop it). */
export function clientAddVars(id: number): Record<string, unknown> {
  return {
    client_id: id, firstname: 'Ada', lastname: `Lovelace${id}`, companyname: '', email: `ada.${id}@example.org`,
    address1: '12 Analytical Row', city: 'London', state: 'Greater London', postcode: 'N1 9GU', country: 'GB',
    phonenumber: '+44.2071234567', language: 'english', password: 'plain-password-from-whmcs', groupid: 0,
  };
}

/** Mode (i): one signed HTTP request, as the WHMCS hook file sends it (with an Idempotency-Key). */
export function httpSender(baseUrl: string, secret: string, agent: http.Agent): (id: number) => Promise<void> {
  const u = new URL(`${baseUrl}/api/v1/hooks/ClientAdd`);
  return (id) => new Promise<void>((resolve, reject) => {
    const raw = JSON.stringify({ brand: BENCH_BRAND, vars: clientAddVars(id), context: CONTEXT });
    const ts = Math.floor(Date.now() / 1000);
    const req = http.request({
      host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent,
      headers: {
        'content-type': 'application/json', 'content-length': Buffer.byteLength(raw), 'x-suite-timestamp': String(ts),
        'x-suite-signature': signHook(secret, ts, raw), 'idempotency-key': `bench-client-${id}`,
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode === 200) resolve();
        else reject(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(raw);
  });
}

/** Mode (ii): the in-process hook API. */
export function inProcessSender(suite: Suite): (id: number) => Promise<void> {
  return async (id) => {
    const r = await suite.hooks.run('ClientAdd', clientAddVars(id), { brand: BENCH_BRAND, ...CONTEXT });
    if (r.failures) throw new Error('after-hook failure');
  };
}

/**
 * Mode (iii): the same writes as SubjectService.upsert does for a new client (subjects row with the email's blind
 * index — after a look-up on SQLite, in one statement on MySQL — one encrypted subject_fields row per categorised field), in one knex transaction, without
 * the dispatcher, validation or settings.
 */
export function rawSender(db: Knex, keyring: Keyring, brandId: number): (id: number) => Promise<void> {
  const mysql = dialectOfKnex(db) === 'mysql';
  return async (id) => {
    const vars: Record<string, unknown> = { ...clientAddVars(id), ip: CONTEXT.ip, user_agent: CONTEXT.userAgent };
    const ts = Date.now();
    await db.transaction(async (trx) => {
      const externalId = String(id);
      // SQLite looks the subject up first; on MySQL the insert itself tells (a duplicate fails the unique key).
      if (!mysql && (await trx('subjects').where({ brand_id: brandId, kind: 'client', external_id: externalId }).first('id'))) throw new Error(`client ${id} exists`);
      const [subjectId] = await trx('subjects').insert({
        brand_id: brandId, kind: 'client', external_id: externalId, parent_id: null, status: 'active',
        email_hash: keyring.blindIndex(String(vars.email)), created_at: ts, updated_at: ts,
      });
      const rows = [];
      for (const [name, value] of Object.entries(vars)) {
        const category = FIELD_CATEGORIES[name];
        if (!category || SECRET_FIELDS.has(name) || value === undefined || value === null) continue;
        rows.push({ subject_id: Number(subjectId), field: name, category, value_enc: keyring.encryptSync(String(value)), policy_version: null, updated_at: ts });
      }
      await trx('subject_fields').insert(rows).onConflict(['subject_id', 'field']).merge(['category', 'value_enc', 'policy_version', 'updated_at']);
    });
  };
}
