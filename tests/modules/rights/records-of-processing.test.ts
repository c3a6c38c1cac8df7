/** Records of processing (GDPR Art. 30) through the admin API: generated from the brand's profile and the modules. */
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey, RIGHTS_PROFILE, rightsBrand, rightsCall } from './fixtures';

let t: TestSuite;
let auditor: string;

const PROFILE = {
  controller: { name: 'Test Hosting Ltd', email: 'privacy@test-hosting.example', country: 'GB', address: '1 Server Street, London', dpo: 'Grace Hopper <dpo@test-hosting.example>' },
  purposes: [...RIGHTS_PROFILE.purposes.slice(0, 4), { code: 'co-marketing', description: 'Joint offers <script>alert(1)</script>', legalBasis: 'consent', requiresConsent: true }, RIGHTS_PROFILE.purposes[5]],
  recipients: [
    { code: 'email', name: 'Mail relay', kind: 'email', country: 'DE', purposes: ['service', 'marketing', 'legal'], categories: ['contact'] },
    { code: 'authority', name: 'Public authorities on legal request', kind: 'authority', purposes: ['legal'], categories: ['contact', 'billing', 'usage'] },
    { code: 'partner', name: 'Co-marketing partner', kind: 'partner', country: 'US', purposes: ['co-marketing'], categories: ['contact'] },
    { code: 'support-desk', name: 'Support desk', kind: 'support', country: 'CH', purposes: ['service'], categories: ['contact', 'correspondence'] },
  ],
  retention: [{ category: 'usage', from: 'collected', days: 90, action: 'delete' }],
  inventory: { customFields: { 7: 'contact', 8: 'health' } },
};

beforeAll(async () => {
  t = await startTestSuite();
  await rightsBrand(t.suite, 'shop', PROFILE);
  await t.suite.kernel.brands.create({ slug: 'resale', name: 'Resale Hosting', parent: 'shop', profile: { controller: { name: 'Reseller GmbH', email: 'privacy@reseller.example', country: 'DE' } } }, { type: 'cli', id: 'test' });
  auditor = await adminKey(t.suite, 'auditor');
});
afterAll(async () => t?.close());

describe('records of processing', () => {
  it('MS-3 (Art. 30): lists the profile\'s controller, DPO, purposes with legal basis, recipients, categories, retention and modules', async () => {
    const r = await rightsCall(t.baseUrl, auditor, 'shop', 'GET', '/records-of-processing');
    expect(r.status).toBe(200);
    const rec = r.body.record;
    expect(rec.controller).toMatchObject({ name: 'Test Hosting Ltd', country: 'GB' });
    expect(rec.dpo).toBe('Grace Hopper <dpo@test-hosting.example>');
    expect(rec.processors).toEqual([]);
    expect(rec.purposes.map((p: { code: string }) => p.code)).toEqual(PROFILE.purposes.map((p) => p.code));
    expect(rec.purposes.find((p: { code: string }) => p.code === 'billing')).toMatchObject({ legalBasis: 'legal-obligation', requiresConsent: false });
    expect(rec.recipients.map((x: { code: string }) => x.code)).toEqual(['email', 'authority', 'partner', 'support-desk']);
    expect(rec.categories.find((c: { category: string }) => c.category === 'billing').fields).toEqual(['billing_address', 'tax_id']);
    expect(rec.categories.find((c: { category: string }) => c.category === 'contact').customFields).toEqual(['customfield:7']);
    expect(JSON.stringify(rec.categories)).not.toContain('customfield:8');
    expect(rec.retention).toMatchObject({ rules: [{ category: 'usage', days: 90 }], statutoryInvoiceYears: 6, statutorySource: 'country-preset' });
    expect(rec.security.join(' ')).toContain('AES-256-GCM');
    expect(rec.modules.find((m: { name: string }) => m.name === 'rights')).toMatchObject({ enabled: true, storesPersonalData: true });
    expect(rec.modules.find((m: { name: string }) => m.name === 'rights').encryptedTables).toContain('rights_disclosure_requests');
    const audit = await t.suite.kernel.db('audit_log').where({ action: 'rights.records.read', target_id: 'shop' }).first();
    expect(audit).toBeTruthy();
  });

  it('MS-5.1 (Art. 30, Ch. V): a recipient outside the EEA/UK is marked as a transfer; EEA and unknown countries are not', async () => {
    const rec = (await rightsCall(t.baseUrl, auditor, 'shop', 'GET', '/records-of-processing')).body.record;
    const by = (code: string) => rec.recipients.find((x: { code: string }) => x.code === code);
    expect(by('partner')).toMatchObject({ country: 'US', transfer: true, adequacy: false });
    expect(by('support-desk')).toMatchObject({ country: 'CH', transfer: true, adequacy: true });
    expect(by('email')).toMatchObject({ country: 'DE', transfer: false });
    expect(by('authority')).toMatchObject({ country: null, transfer: null });
    expect(rec.transfers.map((x: { code: string }) => x.code)).toEqual(['partner', 'support-desk']);
  });

  it('MS-3 (Art. 30): a reseller\'s brand names the reseller as controller and the provider as processor', async () => {
    const rec = (await rightsCall(t.baseUrl, auditor, 'resale', 'GET', '/records-of-processing')).body.record;
    expect(rec.brand).toMatchObject({ slug: 'resale', kind: 'reseller' });
    expect(rec.controller).toMatchObject({ name: 'Reseller GmbH', country: 'DE' });
    expect(rec.processors).toEqual([expect.objectContaining({ name: 'Test Hosting Ltd', role: expect.stringContaining('processing on the reseller') })]);
    expect(rec.retention.statutoryInvoiceYears).toBe(8);
  });

  it('MS-3 (Art. 30): as CSV and HTML, values escaped', async () => {
    const csv = await fetch(`${t.baseUrl}/api/v1/admin/brands/shop/modules/rights/records-of-processing?format=csv`, { headers: { authorization: `Bearer ${auditor}` } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe('Section,Item,Details');
    expect(text).toMatch(/^Recipients,partner,.*Transfer outside the EEA\/UK: yes/m);
    expect(text).toContain('Retention,invoices,"Invoices and the billing data on them are kept 6 years');
    const html = await (await fetch(`${t.baseUrl}/api/v1/admin/brands/shop/modules/rights/records-of-processing?format=html`, { headers: { authorization: `Bearer ${auditor}` } })).text();
    expect(html).toContain('<h1>Records of processing activities (GDPR Art. 30) — shop</h1>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    const bad = await rightsCall(t.baseUrl, auditor, 'shop', 'GET', '/records-of-processing?format=pdf');
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field)).toEqual(['format']);
  });
});
