/** The published policy of each demo brand (policyView, no HTML) states every promise of its seed policy (docs/promises.md). */
import fs from 'node:fs';
import path from 'node:path';
import { PrivacyProfile, type PartialProfile } from '../../../core/profile/schema';
import { DEFAULT_PROFILE } from '../../../core/profile/defaults';
import { mergeLayers } from '../../../core/profile/merge';
import { policyView, PolicyView, type PolicyView as View } from '../../../modules/consent/policy/policy-view';
import { settingsFrom } from '../../../modules/consent/policy/policy-settings';

const DIR = path.resolve(__dirname, '..', '..', '..', 'scripts', 'demo', 'profiles');
const PARENT: Record<string, string | undefined> = { 'websoftmaster-reseller': 'websoftmaster' };
const NAMES: Record<string, string> = {
  masterserver: 'MasterServer', websoftmaster: 'WebSoftMaster', 'websoftmaster-reseller': 'Harborline Web Services',
  'server-pro': 'Server-pro.org', 'tos-provider': 'TOS Provider', 'email-server-management': 'Email Server Management',
};
const MODULES = ['consent', 'inventory', 'mailer', 'platform', 'rdap', 'registrant', 'retention', 'rights'];

const file = (slug: string): PartialProfile => JSON.parse(fs.readFileSync(path.join(DIR, `${slug}.json`), 'utf8')) as PartialProfile;

/** The demo brand's view as the brand service would compute its profile: defaults ← parent ← brand. */
function view(slug: string): View {
  const parent = PARENT[slug];
  const profile = PrivacyProfile.parse(mergeLayers(DEFAULT_PROFILE, ...(parent ? [file(parent)] : []), file(slug)));
  return policyView(profile, settingsFrom(profile, { slug, name: NAMES[slug] }, MODULES, parent ? NAMES[parent] : undefined), 'en');
}

const ms = view('masterserver');
const wsm = view('websoftmaster');
const reseller = view('websoftmaster-reseller');
const sp = view('server-pro');
const tos = view('tos-provider');
const esm = view('email-server-management');
const rule = (v: View, category: string) => v.retention.rules.find((r) => r.category === category);
const recipient = (v: View, code: string) => v.recipients.find((r) => r.code === code);
const category = (v: View, c: string) => v.collected.find((x) => x.category === c);

describe('policy view', () => {
  it('is valid against its own schema for every demo brand (an archived version parses back)', () => {
    for (const v of [ms, wsm, reseller, sp, tos, esm]) expect(PolicyView.parse(JSON.parse(JSON.stringify(v)))).toEqual(JSON.parse(JSON.stringify(v)));
  });
  it('names each brand\'s controller and how to reach it', () => {
    expect(ms.controller).toMatchObject({ name: 'MasterServer L.L.C-FZ', email: 'support@master-server.com', country: 'AE' });
    expect(reseller.controller).toMatchObject({ name: 'Harborline Web Services LLC', email: 'privacy@harborline.example' });
    expect(esm.controller?.email).toBe('privacy@email-server-management.example');
  });
});

describe('MasterServer (MS)', () => {
  it('MS-1: usage data is collected automatically; cookies notice-only with necessary/analytics/marketing/social', () => {
    expect(category(ms, 'usage')).toMatchObject({ automatic: true, fields: expect.arrayContaining(['ip', 'user_agent', 'geolocation']) });
    expect(ms.cookies).toMatchObject({ mode: 'notice-only', categories: ['necessary', 'analytics', 'marketing', 'social'] });
  });
  it('MS-1.2: data is listed per category with the roles that read it', () => {
    expect(ms.collected.map((c) => c.category)).toEqual(expect.arrayContaining(['contact', 'billing', 'usage', 'identity-document', 'correspondence', 'registration', 'payment-token']));
    expect(category(ms, 'identity-document')?.readBy).toEqual(['owner', 'admin']);
  });
  it('MS-2: acceptance is collected at registration, order and newsletter, bound to the version shown', () => {
    expect(ms.collectionPoints).toEqual(expect.arrayContaining(['registration', 'checkout', 'newsletter']));
    expect(ms.requireTermsAtCheckout).toBe(true);
  });
  it('MS-3: purposes with legal bases; marketing only with consent', () => {
    expect(ms.purposes.map((p) => p.code)).toEqual(expect.arrayContaining(['service', 'billing', 'support', 'fraud', 'legal', 'marketing', 'service-improvement']));
    expect(ms.purposes.find((p) => p.code === 'marketing')).toMatchObject({ legalBasis: 'consent', requiresConsent: true });
  });
  it('MS-5.1: data is shared with the listed service providers', () => {
    expect(ms.recipients.map((r) => r.code)).toEqual(expect.arrayContaining(['registrar', 'email', 'ssl', 'stripe', 'paypal', 'cdn', 'security-services', 'web-analytics', 'marketing-services', 'advisors']));
  });
  it('MS-5.2: authorities receive data only on a legal request, with a second approver', () => {
    expect(recipient(ms, 'authority')).toMatchObject({ kind: 'authority', country: 'AE', transfer: false });
    expect(ms.legalDisclosure).toEqual({ onLegalRequestOnly: true, secondApprover: true });
  });
  it('MS-7.1: promotional messages by email, SMS or phone; opt out at any time', () => {
    expect(ms.marketing).toMatchObject({ model: 'opt-in', channels: ['email', 'sms', 'phone'], optOut: ['link', 'privacy-center', 'support'] });
  });
  it('MS-7.2: service and billing notices are always sent', () => {
    expect(ms.marketing.transactionalAlways).toBe(true);
  });
  it('MS-8a / MS-8b / MS-8e / MS-8f: confirmation, copy, correction and deletion are rights listed', () => {
    expect(ms.rights.list).toEqual(expect.arrayContaining(['confirm', 'access', 'rectify', 'erase']));
  });
  it('MS-8c: requests are answered within 3 business days, UAE holidays and weekend excluded', () => {
    expect(ms.rights).toMatchObject({ dueRule: 'business-days', dueBusinessDays: 3, weekend: [0, 6], holidayCountry: 'AE' });
    expect(ms.rights.holidays).toContain('2026-12-02');
  });
  it('MS-8d: identity is verified before data is disclosed', () => {
    expect(ms.rights.verifyIdentity).toBe(true);
  });
  it('MS-9: the retention table: identity documents 90 days after closure, billing stripped after the statutory years', () => {
    expect(rule(ms, 'identity-document')).toMatchObject({ from: 'account-closed', days: 90, action: 'delete' });
    expect(rule(ms, 'billing')).toMatchObject({ from: 'invoice-paid', action: 'strip' });
    expect(ms.retention.statutoryInvoiceYears).toBe(7);
  });
  it('MS-10: HTTPS and attack alerts are stated', () => {
    expect(ms.safeguards).toEqual(expect.arrayContaining(['https', 'attack-alerts']));
  });
  it('MS-11: the policy may change without notice (notice period 0)', () => {
    expect(ms.changes).toEqual({ noticePeriodDays: 0, rejectKeepsOldVersion: false });
  });
});

describe('WebSoftMaster (WSM)', () => {
  it('WSM-1: name, business name, phone, address, email, IP, browser and location are listed', () => {
    expect(category(wsm, 'contact')?.fields).toEqual(expect.arrayContaining(['firstname', 'companyname', 'phonenumber', 'address1', 'email']));
    expect(category(wsm, 'usage')?.fields).toEqual(expect.arrayContaining(['ip', 'user_agent', 'geolocation']));
  });
  it('WSM-2: registration data goes to the registrar and the registry', () => {
    expect(wsm.domains?.registries).toEqual(['registrar', 'registry']);
    expect(recipient(wsm, 'registrar')?.name).toContain('FastDomain');
  });
  it('WSM-8 / WSM-14: advertisers see only aggregates of at least 10 people', () => {
    expect(wsm.aggregates.kAnonymity).toBe(10);
  });
  it('WSM-11: personal data is never sold; GPC is honoured', () => {
    expect(wsm.neverSold).toBe(true);
    expect(wsm.cookies.honourGpc).toBe(true);
  });
  it('WSM-12: service providers are listed', () => {
    expect(wsm.recipients.map((r) => r.code)).toEqual(expect.arrayContaining(['email', 'ssl', 'stripe', 'paypal', 'survey-provider']));
  });
  it('WSM-13: co-marketing partners receive contact data only', () => {
    expect(recipient(wsm, 'co-marketing-partner')?.categories).toEqual(['contact']);
  });
  it('WSM-15: law enforcement only on legal process', () => {
    expect(wsm.legalDisclosure).not.toBeNull();
  });
  it('WSM-16a / WSM-16b / WSM-17: WHOIS redacted, escrow deposit named, reveal on a legal complaint', () => {
    expect(wsm.domains).toMatchObject({ whoisRedacted: true, escrow: ['escrow'], revealResponseDays: 14 });
  });
  it('WSM-19: subscribed by default (opt-out) and unsubscribe by link, panel or support', () => {
    expect(wsm.marketing).toMatchObject({ model: 'opt-out', optOut: ['link', 'privacy-center', 'support'] });
  });
  it('WSM-20: identity is verified', () => {
    expect(wsm.rights.verifyIdentity).toBe(true);
  });
  it('WSM-22: the minimum age is 13', () => {
    expect(wsm.children.minimumAge).toBe(13);
  });
  it('WSM-23: systems are watched for attacks', () => {
    expect(wsm.safeguards).toContain('attack-alerts');
  });
  it('WSM-24: material changes come 30 days ahead with a chance to object', () => {
    expect(wsm.changes).toEqual({ noticePeriodDays: 30, rejectKeepsOldVersion: true });
  });
  it('WSM-25: the reseller is the controller, and removal orders are answered within 30 business days', () => {
    expect(reseller.controller?.name).toBe('Harborline Web Services LLC');
    expect(reseller.parent).toEqual({ name: 'WebSoftMaster' });
    expect(reseller.rights.resellerRemovalBusinessDays).toBe(30);
  });
  it('WSM-27: data is kept after closure only for disputes, fraud and enforcement', () => {
    expect(rule(wsm, 'contact')).toMatchObject({ from: 'account-closed', days: 365, action: 'anonymise' });
    expect(rule(wsm, 'correspondence')).toMatchObject({ days: 730 });
  });
});

describe('Server-pro (SP)', () => {
  it('SP-1: SMS is a marketing channel of its own', () => {
    expect(sp.marketing.channels).toEqual(['email', 'sms', 'phone']);
    expect(recipient(sp, 'sms')).toBeDefined();
  });
  it('SP-3: the newsletter sign-up is a collection point', () => {
    expect(sp.collectionPoints).toContain('newsletter');
  });
  it('SP-4: a customer who rejects a change stays under the old version', () => {
    expect(sp.changes.rejectKeepsOldVersion).toBe(true);
  });
  it('SP-5.1: restriction (blocking) is a right', () => {
    expect(sp.rights.list).toContain('restrict');
  });
  it('SP-6.1: consent may be withdrawn', () => {
    expect(sp.rights.list).toContain('withdraw');
  });
  it('SP-8: retention runs as a scheduled sweep with a dry run', () => {
    expect(sp.retention.sweep).toBe('daily-with-dry-run');
    expect(sp.retention.statutoryInvoiceYears).toBe(6);
  });
  it('SP-9: health data is refused', () => {
    expect(sp.healthDataRefused).toEqual({ customFields: [], freeTextFields: [] });
  });
  it('names the ICO, the authority of the controller\'s country, for complaints', () => {
    expect(sp.supervisoryAuthority).toMatchObject({ country: 'GB', url: 'https://ico.org.uk/make-a-complaint/' });
    expect(ms.supervisoryAuthority).toBeNull();
  });
  it('opt-in cookies (PECR), 30 business days, England & Wales holidays', () => {
    expect(sp.cookies.mode).toBe('opt-in');
    expect(sp.rights).toMatchObject({ dueBusinessDays: 30, holidayCountry: 'GB' });
  });
});

describe('the provider\'s terms (TOS)', () => {
  it('TOS-1: purposes include service quality and security; marketing needs consent', () => {
    expect(tos.purposes.map((p) => p.code)).toEqual(expect.arrayContaining(['service-quality', 'security', 'marketing']));
    expect(tos.marketing.purposes).toContain('marketing');
  });
  it('TOS-1.2: passwords hashed, card data only as tokens, activity logged', () => {
    expect(tos.safeguards).toEqual(expect.arrayContaining(['password-hashing', 'card-tokens-only', 'audit-log', 'encryption-at-rest']));
  });
  it('TOS-1.3: payment processors, support providers and infrastructure partners', () => {
    expect(tos.recipients.map((r) => r.code)).toEqual(expect.arrayContaining(['stripe', 'paypal', 'support-provider', 'infrastructure']));
  });
  it('TOS-1.4: billing records are kept 10 years, stripped, despite deletion', () => {
    expect(tos.retention.statutoryInvoiceYears).toBe(10);
    expect(rule(tos, 'billing')).toMatchObject({ action: 'strip', days: 3653 });
    expect(tos.rights.list).toContain('erase');
  });
});

describe('Email Server Management (ESM)', () => {
  it('ESM-1: name, business name, phone, address, email, IP, browser and location are listed', () => {
    expect(category(esm, 'contact')?.fields).toEqual(expect.arrayContaining(['firstname', 'companyname', 'phonenumber', 'address1', 'email']));
    expect(category(esm, 'usage')?.fields).toEqual(expect.arrayContaining(['ip', 'user_agent', 'geolocation']));
  });
  it('ESM-2: a third party paying for a customer is named in the billing purpose', () => {
    expect(esm.purposes.find((p) => p.code === 'billing')?.description).toMatch(/third party/);
  });
  it('ESM-3: mail content is read only by spam control, kept 30 days', () => {
    expect(category(esm, 'mail-content')).toMatchObject({ readBy: ['spam-control'], customFields: ['21', '22'] });
    expect(rule(esm, 'mail-content')).toMatchObject({ days: 30, action: 'delete' });
  });
  it('ESM-4: spam complaints may suspend a server', () => {
    expect(esm.abuseMaySuspend).toBe(true);
    expect(esm.purposes.map((p) => p.code)).toContain('spam-control');
  });
  it('no marketing and no domains: only payment recipients', () => {
    expect(esm.marketing.purposes).toEqual([]);
    expect(esm.domains).toBeNull();
    expect(esm.recipients.map((r) => r.code)).toEqual(['stripe', 'paypal', 'issuing-bank']);
  });
});
