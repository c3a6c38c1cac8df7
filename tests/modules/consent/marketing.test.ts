/** Marketing preferences per channel and brand: opt-in/opt-out models, double opt-in, suppression, GPC (WSM-19, SP-1, MS-7.1, WSM-11, TOS-1). */
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { clientAdd, consentBrand, consentService, ledgerOf, subjectOf, type TestBrand } from './marketing-fixtures';

let t: TestSuite;
let optIn: TestBrand;
let optOut: TestBrand;
let doi: TestBrand;

beforeAll(async () => {
  t = await startTestSuite();
  optIn = await consentBrand(t.suite, 'mk-optin', { model: 'opt-in', channels: ['email', 'sms'] });
  optOut = await consentBrand(t.suite, 'mk-optout', { model: 'opt-out', channels: ['email', 'sms', 'phone'] });
  doi = await consentBrand(t.suite, 'mk-doi', { model: 'opt-in', channels: ['email'], doubleOptIn: true });
});
afterAll(() => t.close());

describe('marketing preferences', () => {
  it('TOS-1: on an opt-in brand no record means no consent; a ticked box allows marketing', async () => {
    const svc = consentService(t.suite);
    await clientAdd(t.baseUrl, optIn, 1);
    await clientAdd(t.baseUrl, optIn, 2, { marketing_emails_opt_in: '1' });
    const s1 = await subjectOf(t.suite, optIn, 1);
    expect(await ledgerOf(t.suite, s1)).toHaveLength(0);
    expect(await svc.marketingDecision(optIn.slug, s1, 'email')).toEqual({ allowed: false, reason: 'no-consent' });
    expect(await svc.canSendMarketing(optIn.slug, await subjectOf(t.suite, optIn, 2), 'email')).toBe(true);
  });

  it('WSM-19: on an opt-out brand a new client is subscribed by default (method "default") on every channel the brand offers', async () => {
    await clientAdd(t.baseUrl, optOut, 1);
    const sid = await subjectOf(t.suite, optOut, 1);
    const rows = await ledgerOf(t.suite, sid);
    expect(rows.map((r) => `${r.purpose}/${r.action}/${r.method}`).sort()).toEqual(['marketing:email/given/default', 'marketing:phone/given/default', 'marketing:sms/given/default']);
    const state = await consentService(t.suite).stateFor(optOut.slug, sid);
    expect(state.marketing.email).toEqual({ allowed: true, reason: 'default' });
  });

  it('WSM-19: on an opt-out brand an unticked box at sign-up is an opt-out', async () => {
    await clientAdd(t.baseUrl, optOut, 2, { marketing_emails_opt_in: '0' });
    const sid = await subjectOf(t.suite, optOut, 2);
    expect(await consentService(t.suite).canSendMarketing(optOut.slug, sid, 'email')).toBe(false);
    expect(await consentService(t.suite).canSendMarketing(optOut.slug, sid, 'sms')).toBe(true);
  });

  it('SP-1: SMS has its own preference, independent of email', async () => {
    const svc = consentService(t.suite);
    await clientAdd(t.baseUrl, optIn, 3, { marketing_emails_opt_in: true });
    const sid = await subjectOf(t.suite, optIn, 3);
    expect(await svc.canSendMarketing(optIn.slug, sid, 'sms')).toBe(false);
    await svc.setPreference(optIn.slug, sid, 'sms', 'given', { method: 'checkbox', collectionPoint: 'privacy-center' });
    await svc.withdraw(optIn.slug, sid, 'marketing:email');
    expect(await svc.canSendMarketing(optIn.slug, sid, 'sms')).toBe(true);
    expect(await svc.canSendMarketing(optIn.slug, sid, 'email')).toBe(false);
    // A channel the brand does not offer is never used, whatever was recorded.
    await svc.setPreference(optIn.slug, sid, 'phone', 'given');
    expect(await svc.marketingDecision(optIn.slug, sid, 'phone')).toEqual({ allowed: false, reason: 'channel-off' });
  });

  it('MS-7.1: opt-out takes effect at once and the suppression list survives erasure', async () => {
    const svc = consentService(t.suite);
    await clientAdd(t.baseUrl, optOut, 10, { email: 'Erase.Me@Example.org' });
    const sid = await subjectOf(t.suite, optOut, 10);
    expect(await svc.canSendMarketing(optOut.slug, sid, 'email')).toBe(true);
    await svc.withdraw(optOut.slug, sid, 'marketing:email', { method: 'checkbox', collectionPoint: 'privacy-center' });
    expect(await svc.canSendMarketing(optOut.slug, sid, 'email')).toBe(false);
    const key = { brand_id: optOut.id, channel: 'email', address_hash: t.suite.kernel.keyring.blindIndex('erase.me@example.org') };
    const suppressed = await t.suite.kernel.db('consent_suppression').where(key);
    expect(suppressed).toHaveLength(1);
    expect(JSON.stringify(await t.suite.kernel.db('consent_suppression'))).not.toMatch(/erase\.me|example\.org/i);
    // Erase the person everywhere: the suppression row holds no subject id and stays.
    const brand = await t.suite.kernel.brands.get(optOut.slug);
    await t.suite.kernel.db.transaction(async (trx) => {
      await t.suite.kernel.subjects.erase(trx, sid);
      await t.suite.kernel.modules.get('consent')!.personalData!.erase(sid, { kernel: t.suite.kernel, trx, brand });
    });
    expect(await t.suite.kernel.db('consent_suppression').where(key)).toHaveLength(1);
    expect(await svc.canSendMarketing(optOut.slug, sid, 'email')).toBe(false);
    // The same address signs up again as a new client: subscribed by default, but never mailed.
    await clientAdd(t.baseUrl, optOut, 11, { email: 'erase.me@example.org' });
    const again = await subjectOf(t.suite, optOut, 11);
    expect(await svc.marketingDecision(optOut.slug, again, 'email')).toEqual({ allowed: false, reason: 'suppressed' });
    // Asking for marketing again, explicitly, lifts the person's own suppression.
    await svc.setPreference(optOut.slug, again, 'email', 'given', { method: 'checkbox', collectionPoint: 'newsletter' });
    expect(await svc.canSendMarketing(optOut.slug, again, 'email')).toBe(true);
  });

  it('MS-7.1: an SMS opt-out suppresses the phone number for SMS only', async () => {
    const svc = consentService(t.suite);
    await clientAdd(t.baseUrl, optOut, 20, { phonenumber: '+44 (0)20 7946 1234' });
    const sid = await subjectOf(t.suite, optOut, 20);
    await svc.withdraw(optOut.slug, sid, 'marketing:sms');
    expect(await svc.marketingDecision(optOut.slug, sid, 'sms')).toEqual({ allowed: false, reason: 'suppressed' });
    expect(await svc.canSendMarketing(optOut.slug, sid, 'email')).toBe(true);
  });

  it('WSM-11: a GPC signal sent with the sign-up is an opt-out of sale/sharing, and no marketing goes out', async () => {
    await clientAdd(t.baseUrl, optOut, 30, {}, { gpc: true });
    const sid = await subjectOf(t.suite, optOut, 30);
    const rows = await ledgerOf(t.suite, sid);
    expect(rows.find((r) => r.purpose === 'sale-sharing')).toMatchObject({ action: 'withdrawn', method: 'gpc' });
    expect(await consentService(t.suite).marketingDecision(optOut.slug, sid, 'email')).toEqual({ allowed: false, reason: 'gpc' });
  });

  it('WSM-19: double opt-in records nothing granted until the person confirms the emailed link', async () => {
    const svc = consentService(t.suite);
    const res = await clientAdd(t.baseUrl, doi, 1, { marketing_emails_opt_in: 1 });
    expect(res.status).toBe(200);
    const sid = await subjectOf(t.suite, doi, 1);
    expect(await ledgerOf(t.suite, sid)).toHaveLength(0);
    expect(await svc.marketingDecision(doi.slug, sid, 'email')).toEqual({ allowed: false, reason: 'pending-confirmation' });
    const msg = await t.suite.kernel.db('outbox').where({ brand_id: doi.id, topic: 'consent.double-opt-in' }).first();
    expect(msg).toMatchObject({ recipient: 'email', purpose: 'service', subject_id: sid });
    const { confirmUrl } = JSON.parse(await t.suite.kernel.keyring.decrypt(msg.payload_enc)) as { confirmUrl: string };
    const token = new URL(confirmUrl).searchParams.get('token')!;
    const page = await fetch(`${t.baseUrl}/b/${doi.slug}/consent/confirm?token=${encodeURIComponent(token)}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="token"');
    expect(await ledgerOf(t.suite, sid)).toHaveLength(0);
    const post = await fetch(`${t.baseUrl}/b/${doi.slug}/consent/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }) });
    expect(post.status).toBe(200);
    expect((await ledgerOf(t.suite, sid)).at(-1)).toMatchObject({ purpose: 'marketing:email', action: 'given', method: 'double-opt-in' });
    expect(await svc.canSendMarketing(doi.slug, sid, 'email')).toBe(true);
    const replay = await fetch(`${t.baseUrl}/b/${doi.slug}/consent/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }) });
    expect(replay.status).toBe(401);
  });
});
