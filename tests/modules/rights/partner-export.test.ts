/** Partner exports through the admin API (WSM-13): contact data of consenting, unrestricted subjects only — never billing data. */
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import type { ConsentService } from '../../../modules/consent/consent-service';
import { csvCell } from '../../../modules/rights/disclosures/partner-routes';
import { adminKey, RIGHTS_PROFILE, rightsBrand, rightsCall, signUp } from './fixtures';

let t: TestSuite;
let key: string;
const ids: Record<string, number> = {};

/** A partner registered for billing data too, and a brand whose settings name billing: both must be overruled. */
const GREEDY = {
  recipients: [
    ...RIGHTS_PROFILE.recipients.filter((r) => r.code !== 'partner'),
    { code: 'partner', name: 'Co-marketing partner', kind: 'partner', country: 'US', purposes: ['co-marketing'], categories: ['contact', 'billing', 'usage'] },
    { code: 'ledger-partner', name: 'Billing-only partner', kind: 'partner', purposes: ['co-marketing'], categories: ['billing'] },
  ],
  modules: { rights: { partnerCategories: ['contact', 'billing', 'usage'] } },
};

async function exportCall(body: Record<string, unknown>, brand = 'shop'): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(`${t.baseUrl}/api/v1/admin/brands/${brand}/modules/rights/partner-exports`, {
    method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

beforeAll(async () => {
  t = await startTestSuite();
  await rightsBrand(t.suite, 'shop', GREEDY);
  key = await adminKey(t.suite);
  const k = t.suite.kernel;
  const brand = await k.brands.get('shop');
  ids.consented = (await signUp(t.suite, 'shop', 1, { marketing_emails_opt_in: true, tax_id: 'GB-TAX-0001' })).subjectId;
  ids.silent = (await signUp(t.suite, 'shop', 2, { tax_id: 'GB-TAX-0002' })).subjectId;
  ids.restricted = (await signUp(t.suite, 'shop', 3, { marketing_emails_opt_in: true })).subjectId;
  ids.erased = (await signUp(t.suite, 'shop', 4, { marketing_emails_opt_in: true })).subjectId;
  ids.withdrawn = (await signUp(t.suite, 'shop', 5, { marketing_emails_opt_in: true })).subjectId;
  ids.consented2 = (await signUp(t.suite, 'shop', 6, { marketing_emails_opt_in: true })).subjectId;
  const consented = await k.subjects.get(ids.consented);
  await k.db.transaction((trx) => k.subjects.upsert(trx, { brandId: brand.id, kind: 'client', externalId: consented.externalId, fields: { billing_address: '1 Ledger Lane', ip: '203.0.113.9' } }));
  // A billing field mis-tagged as contact (a custom field mapping gone wrong) is still held back by its name.
  const second = await k.subjects.get(ids.consented2);
  await k.db.transaction((trx) => k.subjects.upsert(trx, { brandId: brand.id, kind: 'client', externalId: second.externalId, fields: {}, tagged: [{ name: 'billing_address', category: 'contact', value: '2 Mistagged Road' }] }));
  await k.subjects.setRestricted(k.db, ids.restricted, true);
  await k.db.transaction((trx) => k.subjects.erase(trx, ids.erased));
  await k.service<ConsentService>('consent').setPreference('shop', ids.withdrawn, 'email', 'withdrawn', { method: 'link', collectionPoint: 'unsubscribe' });
});
afterAll(async () => t?.close());

describe('partner exports', () => {
  it('WSM-13: a co-marketing export carries contact data of consenting, unrestricted subjects only, never billing fields — even when billing is configured and registered', async () => {
    const r = await exportCall({ recipient: 'partner', purpose: 'co-marketing' });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text) as { export: { id: number; categories: string[]; dropped: string[]; fields: string[] }; subjects: Record<string, string>[]; count: number };
    expect(body.export.categories).toEqual(['contact', 'usage']);
    expect(body.export.dropped).toEqual(['billing']);
    expect(body.export.fields).not.toContain('tax_id');
    expect(body.export.fields).not.toContain('billing_address');
    expect(body.count).toBe(2);
    expect(body.subjects.map((s) => s.email).sort()).toEqual(['ada.1@example.org', 'ada.6@example.org']);
    expect(body.subjects.find((s) => s.email === 'ada.1@example.org')).toMatchObject({ lastname: 'Lovelace1', country: 'GB', ip: '203.0.113.9' });
    for (const s of body.subjects) expect(Object.keys(s)).not.toEqual(expect.arrayContaining(['tax_id']));
    for (const needle of ['GB-TAX-0001', 'GB-TAX-0002', '1 Ledger Lane', '2 Mistagged Road', 'ada.2@', 'ada.3@', 'ada.4@', 'ada.5@']) expect(r.text).not.toContain(needle);

    const log = (await t.suite.kernel.db('disclosure_log').where({ reference: `partner-export:${body.export.id}` }).orderBy('subject_id')) as Record<string, unknown>[];
    expect(log.map((l) => Number(l.subject_id))).toEqual([ids.consented, ids.consented2]);
    for (const l of log) {
      expect(l).toMatchObject({ recipient: 'partner', purpose: 'co-marketing' });
      expect(JSON.parse(l.categories as string)).not.toContain('billing');
      expect(JSON.parse(l.fields as string)).not.toContain('tax_id');
    }
    expect(JSON.parse(log[0].fields as string)).toEqual(expect.arrayContaining(['email', 'ip', 'lastname']));
    const row = (await t.suite.kernel.db('rights_partner_exports').where({ id: body.export.id }).first()) as Record<string, unknown>;
    expect(row).toMatchObject({ state: 'done', subjects: 2, recipient: 'partner' });
    const audit = (await t.suite.kernel.db('audit_log').where({ target_type: 'rights_partner_export', target_id: String(body.export.id) }).orderBy('seq').select('action')) as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(['rights.partner-export.started', 'rights.partner-export.done']);
  });

  it('WSM-13: billing asked for by name is refused with the field, and nothing is written', async () => {
    const before = await t.suite.kernel.db('rights_partner_exports').count({ n: '*' }).first();
    const billing = await exportCall({ recipient: 'partner', purpose: 'co-marketing', categories: ['contact', 'billing'] });
    expect(billing.status).toBe(400);
    expect((JSON.parse(billing.text) as { fields: { field: string }[] }).fields.map((f) => f.field)).toEqual(['categories.1']);
    const token = await exportCall({ recipient: 'partner', purpose: 'co-marketing', categories: ['payment-token'] });
    expect(token.status).toBe(400);
    const only = await exportCall({ recipient: 'ledger-partner', purpose: 'co-marketing' });
    expect(only.status).toBe(422);
    expect(JSON.parse(only.text).code).toBe('SUITE_RIGHTS_NOTHING_TO_EXPORT');
    expect(await t.suite.kernel.db('rights_partner_exports').count({ n: '*' }).first()).toEqual(before);
  });

  it('WSM-13: only registered partners, for their registered purposes', async () => {
    expect(JSON.parse((await exportCall({ recipient: 'authority', purpose: 'legal' })).text).code).toBe('SUITE_RIGHTS_RECIPIENT_KIND');
    expect(JSON.parse((await exportCall({ recipient: 'partner', purpose: 'marketing' })).text).code).toBe('SUITE_PURPOSE_NOT_ALLOWED');
    expect(JSON.parse((await exportCall({ recipient: 'nobody', purpose: 'co-marketing' })).text).code).toBe('SUITE_RECIPIENT_UNKNOWN');
    const auditor = await adminKey(t.suite, 'auditor');
    expect((await rightsCall(t.baseUrl, auditor, 'shop', 'POST', '/partner-exports', { recipient: 'partner', purpose: 'co-marketing' })).status).toBe(403);
  });

  it('WSM-13: as CSV, narrowed to contact data, the header and rows hold no billing field', async () => {
    const r = await exportCall({ recipient: 'partner', purpose: 'co-marketing', categories: ['contact'], format: 'csv' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/csv');
    const lines = r.text.trim().split('\r\n');
    const header = lines[0].split(',');
    expect(header).toEqual(expect.arrayContaining(['email', 'firstname', 'lastname', 'country']));
    expect(header).not.toContain('ip');
    expect(header).not.toContain('tax_id');
    expect(lines).toHaveLength(3);
    expect(r.text).not.toContain('GB-TAX');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('+44.2079460018')).toBe('+44.2079460018');
  });

  it('WSM-13: a brand of a thousand-odd subjects is exported in batches, each subject logged once', async () => {
    const k = t.suite.kernel;
    await rightsBrand(t.suite, 'big');
    const brand = await k.brands.get('big');
    const profile = await k.brands.profile(brand);
    const consent = k.service<ConsentService>('consent');
    await k.keyring.activeKeyId();
    const n = 1100;
    await k.db.transaction(async (trx) => {
      for (let i = 0; i < n; i++) {
        const { id } = await k.subjects.upsert(trx, { brandId: brand.id, kind: 'client', externalId: 10_000 + i, fields: { email: `bulk.${i}@example.org`, lastname: `Bulk${i}`, tax_id: `T${i}` } });
        if (i % 10 !== 0) await consent.setPreference(brand, id, 'email', 'given', { method: 'checkbox', collectionPoint: 'newsletter' }, { trx, profile });
      }
    });
    // The inserts above kept the event loop busy past the keep-alive timeouts: let the expired timers close the idle
    // socket first, or fetch may reuse it just as the server closes it (ECONNRESET).
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    const r = await exportCall({ recipient: 'partner', purpose: 'co-marketing' }, 'big');
    const ms = Date.now() - started;
    const body = JSON.parse(r.text) as { count: number; skipped: number; subjects: Record<string, string>[]; export: { id: number } };
    expect(body.count).toBe(990);
    expect(body.skipped).toBe(110);
    expect(new Set(body.subjects.map((s) => s.email)).size).toBe(990);
    expect(r.text).not.toContain('"tax_id"');
    const logged = (await k.db('disclosure_log').where({ reference: `partner-export:${body.export.id}` }).countDistinct({ n: 'subject_id' }).first()) as { n: number };
    expect(Number(logged.n)).toBe(990);
    expect(ms).toBeLessThan(30_000);
    process.stdout.write(`partner export of ${n} subjects (990 exported): ${ms} ms\n`);
  });
});
