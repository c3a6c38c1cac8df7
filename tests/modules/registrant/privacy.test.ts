/** Domain privacy (WSM-17): the registrar receives the privacy contact or the customer's own; consent to publish; the reveal workflow. */
import { useRegistrar } from '../../../modules/registrant/transfer/registrar-lookup';
import type { RegistrantService } from '../../../modules/registrant/registrant-service';
import type { RegistryContact } from '../../../modules/registrars/contract';
import { SmtpSink } from '../../helpers/smtp-sink';
import { createBrand, postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { disclosures, FakeRegistrar, postContacts, registrantBrand, REGISTRANT_SETTINGS, whmcsParams } from './fixtures';

const sink = new SmtpSink();
const registrar = new FakeRegistrar();
let t: TestSuite;
let secret: string;
let brandId: number;
let ownerKey: string;

const service = () => t.suite.kernel.service<RegistrantService>('registrant');
const admin = (path: string, init: { method?: string; body?: unknown } = {}) => fetch(`${t.baseUrl}/api/v1/admin/brands/priv-shop/modules/registrant${path}`, {
  method: init.method ?? 'GET', headers: { authorization: `Bearer ${ownerKey}`, 'content-type': 'application/json' }, body: init.body === undefined ? undefined : JSON.stringify(init.body),
}).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

beforeAll(async () => {
  await sink.start();
  useRegistrar(() => registrar);
  t = await startTestSuite({ config: { smtpUrl: sink.url, mailFrom: 'privacy@test-hosting.example', outboxBaseDelayMs: 5, outboxMaxAttempts: 3 } });
  secret = await registrantBrand(t.suite, 'priv-shop');
  brandId = (await t.suite.kernel.brands.get('priv-shop')).id;
  ownerKey = (await t.suite.apiKeys.create({ role: 'owner', label: 'test' }, { type: 'cli', id: 'test' })).key;
  await postHook(t.baseUrl, 'ClientAdd', secret, { brand: 'priv-shop', vars: { client_id: 7, firstname: 'Ada', lastname: 'Lovelace', email: 'ada7@example.org', country: 'GB' } });
});
afterAll(async () => {
  useRegistrar();
  await t?.close();
  await sink.stop();
});

describe('domain privacy', () => {
  it('WSM-17: privacy on: the registrar receives the privacy contact and disclose flags; privacy off: the customer\'s own', async () => {
    const on = await postContacts(t.baseUrl, secret, { brand: 'priv-shop', params: whmcsParams(7, 'hidden', 'com', { idprotection: true }) });
    expect(on.status).toBe(200);
    const c = on.body.contacts as Record<string, RegistryContact>;
    expect(Object.keys(c).sort()).toEqual(['admin', 'billing', 'registrant', 'tech']);
    const svc = REGISTRANT_SETTINGS.privacyService;
    expect(c.registrant).toMatchObject({ name: svc.name, org: svc.org, street: svc.street, city: svc.city, cc: 'GB', voice: svc.voice });
    expect(c.registrant.email).toMatch(/^[0-9a-f]{24}@privacy\.test-hosting\.example$/);
    expect(c.registrant.email).not.toBe(c.admin.email); // per role
    expect(JSON.stringify(c)).not.toContain('Lovelace');
    expect(c.registrant.disclose).toEqual({ name: true, org: true, addr: true, voice: true, fax: false, email: true });
    // Stable per domain and role; different for another domain.
    const again = await postContacts(t.baseUrl, secret, { brand: 'priv-shop', params: whmcsParams(7, 'hidden', 'com', { idprotection: true }) });
    expect((again.body.contacts as Record<string, RegistryContact>).registrant.email).toBe(c.registrant.email);
    const other = await postContacts(t.baseUrl, secret, { brand: 'priv-shop', params: whmcsParams(7, 'hidden2', 'com', { idprotection: true }) });
    expect((other.body.contacts as Record<string, RegistryContact>).registrant.email).not.toBe(c.registrant.email);
    // The real data is still held for escrow.
    const row = await t.suite.kernel.db('registrant_domains').where({ brand_id: brandId, domain: 'hidden.com' }).first();
    const held = await t.suite.kernel.db('registrant_contacts').where({ domain_id: row.id, role: 'registrant' }).first();
    expect((JSON.parse(await t.suite.kernel.keyring.decrypt(held.data_enc)) as RegistryContact).name).toBe('Ada Lovelace');

    // Toggle through the registrar (IDProtectToggle): off sends the customer's own contacts, on the privacy contacts.
    await service().setIdProtection('priv-shop', 'hidden.com', false);
    await t.suite.worker.drain();
    const off = registrar.calls.filter((x) => x.fn === 'idProtectToggle').at(-1)!;
    expect(off).toMatchObject({ domain: 'hidden.com', enabled: false });
    expect(off.contacts!.registrant).toMatchObject({ name: 'Ada Lovelace', email: 'ada7@example.org', disclose: { name: false, addr: false, voice: false, fax: false, email: false } });
    await service().setIdProtection('priv-shop', 'hidden.com', true);
    await t.suite.worker.drain();
    const back = registrar.calls.filter((x) => x.fn === 'idProtectToggle').at(-1)!;
    expect(back.enabled).toBe(true);
    expect(back.contacts!.registrant).toMatchObject({ name: svc.name, email: c.registrant.email });
  });

  it('consent to publish changes exactly the consented fields', async () => {
    await postContacts(t.baseUrl, secret, { brand: 'priv-shop', params: whmcsParams(7, 'public', 'net') });
    expect(await service().publishableFields(brandId, 'public.net')).toEqual([]);
    const subject = await t.suite.kernel.subjects.findByExternal(brandId, 'client', 7);
    const r = await service().consentToPublish('priv-shop', { subjectId: subject!.id, domain: 'public.net', fields: ['email', 'name'] });
    expect(r.fields).toEqual(['name', 'email']);
    expect(r.outboxId).not.toBeNull();
    expect(await service().publishableFields(brandId, 'public.net')).toEqual(['name', 'email']);
    const ledger = await t.suite.kernel.db('consent_ledger').where({ receipt_id: r.receiptId }).first();
    expect(ledger).toMatchObject({ purpose: 'registration-publish', action: 'given' });
    await t.suite.worker.drain();
    const sent = registrar.calls.filter((x) => x.fn === 'saveContactDetails' && x.domain === 'public.net').at(-1)!;
    expect(sent.contacts!.registrant!.disclose).toEqual({ name: true, addr: false, voice: false, fax: false, email: true });
    // The endpoint honours it too; other fields stay hidden; withdrawing hides them again.
    const now = await postContacts(t.baseUrl, secret, { brand: 'priv-shop', params: whmcsParams(7, 'public', 'net') });
    expect((now.body.contacts as Record<string, RegistryContact>).registrant.disclose).toEqual({ name: true, addr: false, voice: false, fax: false, email: true });
    await service().consentToPublish('priv-shop', { subjectId: subject!.id, domain: 'public.net', fields: [] });
    expect(await service().publishableFields(brandId, 'public.net')).toEqual([]);
    await expect(service().consentToPublish('priv-shop', { subjectId: subject!.id, domain: 'public.net', fields: ['fax'] })).rejects.toMatchObject({ code: 'SUITE_VALIDATION_FAILED' });
  });

  it('WSM-17: the reveal workflow from complaint to disclosure, with its audit trail', async () => {
    await postContacts(t.baseUrl, secret, { brand: 'priv-shop', params: whmcsParams(7, 'disputed', 'com', { idprotection: true }) });
    const complaint = { domain: 'disputed.com', complainant: { name: 'Brand Owner', email: 'legal@brand-owner.example', organisation: 'Brand Owner plc' }, legalBasis: 'Trademark infringement (UDRP 4(a))', evidence: 'Screenshots of the infringing site, trademark registration no. 123.' };
    const created = await admin('/reveal-requests', { method: 'POST', body: complaint });
    expect(created.status).toBe(201);
    const id = Number(created.body.id);
    expect(created.body.noticeQueued).toBe(true);

    // The customer is noticed, with the deadline.
    await t.suite.worker.drain();
    const mails = sink.to('ada7@example.org');
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain('disputed.com');
    expect(mails[0].text).toContain(`request ${id}`);

    const list = await admin('/reveal-requests');
    expect((list.body.requests as { id: number; complainant: { email: string }; status: string }[]).find((r) => r.id === id)).toMatchObject({ status: 'notice-sent', complainant: { email: 'legal@brand-owner.example' } });

    // Not before the deadline (unless the admin says so), then disclosed and logged.
    const early = await admin(`/reveal-requests/${id}/decision`, { method: 'POST', body: { decision: 'disclose' } });
    expect(early.status).toBe(400);
    expect((early.body.fields as { field: string }[])[0].field).toBe('decision');
    await t.suite.kernel.db('registrant_reveal_requests').where({ id }).update({ deadline_at: Date.now() - 1000 });
    const decided = await admin(`/reveal-requests/${id}/decision`, { method: 'POST', body: { decision: 'disclose', reason: 'no answer from the customer' } });
    expect(decided.status).toBe(200);
    expect(decided.body.status).toBe('disclosed');
    expect((decided.body.disclosed as RegistryContact).name).toBe('Ada Lovelace');
    const subject = await t.suite.kernel.subjects.findByExternal(brandId, 'client', 7);
    const logged = (await disclosures(t.suite, brandId)).find((r) => r.reference === `reveal:${id}`)!;
    expect(logged).toMatchObject({ recipient: 'authority', purpose: 'legal', subject_id: subject!.id });
    expect(logged.fields).toEqual(expect.arrayContaining(['registrant.name', 'registrant.email', 'registrant.street']));
    const again = await admin(`/reveal-requests/${id}/decision`, { method: 'POST', body: { decision: 'reject' } });
    expect(again.status).toBe(400);

    // A second complaint: suspension.
    const second = await admin('/reveal-requests', { method: 'POST', body: complaint });
    const suspended = await admin(`/reveal-requests/${Number(second.body.id)}/decision`, { method: 'POST', body: { decision: 'suspend' } });
    expect(suspended.body.status).toBe('suspended');
    expect((await t.suite.kernel.db('registrant_domains').where({ brand_id: brandId, domain: 'disputed.com' }).first()).status).toBe('suspended');

    const trail = (await t.suite.kernel.audit.list({ brandIds: [brandId] })).filter((a) => String(a.action).startsWith('registrant.reveal.'));
    const actions = trail.filter((a) => [String(id), String(second.body.id)].includes(String(a.target_id))).map((a) => a.action).reverse();
    expect(actions).toEqual(['registrant.reveal.requested', 'registrant.reveal.disclosed', 'registrant.reveal.requested', 'registrant.reveal.suspended']);
    expect(trail.some((a) => a.action === 'registrant.reveal.read')).toBe(true);
    expect(JSON.stringify(trail)).not.toContain('brand-owner.example');
  });

  it('a disclosure to a complainant needs a registered recipient: refused clearly without one', async () => {
    // This brand's register lists no authority (the default one does), so a disclosure has nowhere registered to go.
    const recipients = [
      { code: 'registrar', name: 'Registrar', kind: 'registrar', purposes: ['domain-registration'], categories: ['contact', 'registration'] },
      { code: 'email', name: 'Mail', kind: 'email', purposes: ['service', 'legal'], categories: ['contact'] },
    ];
    const s2 = await createBrand(t.suite, 'no-authority', { profile: { controller: { name: 'X Ltd', email: 'p@x.example' }, recipients, modules: { registrant: REGISTRANT_SETTINGS } } });
    await postContacts(t.baseUrl, s2, { brand: 'no-authority', params: whmcsParams(8, 'x', 'com') });
    const b = await t.suite.kernel.brands.get('no-authority');
    const [rid] = await t.suite.kernel.db('registrant_reveal_requests').insert({ brand_id: b.id, domain: 'x.com', subject_id: null, complainant_enc: t.suite.kernel.keyring.encryptSync('{}'), legal_basis: 'court order', evidence_enc: t.suite.kernel.keyring.encryptSync('order'), status: 'notice-sent', deadline_at: 0, created_at: Date.now() });
    const res = await fetch(`${t.baseUrl}/api/v1/admin/brands/no-authority/modules/registrant/reveal-requests/${Number(rid)}/decision`, { method: 'POST', headers: { authorization: `Bearer ${ownerKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ decision: 'disclose' }) });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { code: string }).code).toBe('SUITE_RECIPIENT_UNKNOWN');
  });
});
