/** Policy fidelity: a profile change that alters what the code does alters what the published policy says. */
import { z } from 'zod';
import { PrivacyProfile } from '../../../core/profile/schema';
import { DEFAULT_PROFILE } from '../../../core/profile/defaults';
import { policyView } from '../../../modules/consent/policy/policy-view';
import { settingsFrom } from '../../../modules/consent/policy/policy-settings';
import { VIEW_COVERS, VIEW_EXCLUDES } from '../../../modules/consent/policy/policy-coverage';
import { policyPage } from '../../../modules/consent/policy/render-policy';
import { renderPage } from '../../../core/pages';

type Covered = (typeof VIEW_COVERS)[number];
const WHOLE = new Set(['controller', 'supervisoryAuthority', 'branding']);
type Raw = Record<string, unknown> & { [k: string]: unknown };

/** The dotted paths of an object schema's fields, descending into nested objects (records and arrays are one field). */
function schemaPaths(schema: z.ZodTypeAny, prefix = ''): string[] {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodEffects) s = s.innerType() as z.ZodTypeAny;
    else if (s instanceof z.ZodDefault) s = s.removeDefault() as z.ZodTypeAny;
    else if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodTypeAny;
    else break;
  }
  if (!(s instanceof z.ZodObject)) return [prefix];
  // A sub-document shown as a whole (the controller, the authority, the branding) counts as one field.
  return Object.entries(s.shape as Record<string, z.ZodTypeAny>).flatMap(([k, v]) => (WHOLE.has(k) && !prefix ? [k] : schemaPaths(v, prefix ? `${prefix}.${k}` : k)));
}

const BASE: Raw = {
  ...DEFAULT_PROFILE,
  controller: { name: 'Acme Hosting Ltd', address: '1 Example Road', email: 'privacy@acme.example', country: 'GB' },
  retention: [{ category: 'contact', from: 'account-closed', days: 365, action: 'anonymise' }],
};

/** One change per covered field that the code acts on. */
const CHANGES: Record<Covered, (p: Raw) => void> = {
  languages: (p) => { p.languages = ['en', 'de']; },
  supervisoryAuthority: (p) => { p.supervisoryAuthority = { name: 'Information Commissioner\'s Office', url: 'https://ico.org.uk' }; },
  controller: (p) => { p.controller = { ...(p.controller as object), email: 'dpo@acme.example' }; },
  'consent.model': (p) => { p.consent = { model: 'opt-out' }; },
  'consent.channels': (p) => { p.consent = { channels: ['email', 'sms'] }; },
  'consent.doubleOptIn': (p) => { p.consent = { doubleOptIn: true }; },
  'consent.requireTermsAtCheckout': (p) => { p.consent = { requireTermsAtCheckout: false }; },
  'consent.minimumAge': (p) => { p.consent = { minimumAge: 13 }; },
  'cookies.mode': (p) => { p.cookies = { mode: 'notice-only' }; },
  'cookies.categories': (p) => { p.cookies = { categories: ['necessary'] }; },
  'cookies.honourGpc': (p) => { p.cookies = { honourGpc: false }; },
  'rights.dueRule': (p) => { p.rights = { dueRule: 'gdpr-month' }; },
  'rights.dueBusinessDays': (p) => { p.rights = { dueBusinessDays: 3 }; },
  'rights.resellerRemovalBusinessDays': (p) => { p.rights = { resellerRemovalBusinessDays: 10 }; },
  'rights.holidays': (p) => { p.rights = { holidays: ['2026-12-25'] }; },
  'rights.weekend': (p) => { p.rights = { weekend: [5, 6] }; },
  'rights.verifyIdentity': (p) => { p.rights = { verifyIdentity: false }; },
  'rights.holidayCountry': (p) => { p.rights = { holidayCountry: 'DE' }; },
  'rights.holidayRegion': (p) => { p.rights = { holidayRegion: 'BY' }; },
  retention: (p) => { p.retention = [{ category: 'contact', from: 'account-closed', days: 30, action: 'anonymise' }]; },
  statutoryInvoiceYears: (p) => { p.statutoryInvoiceYears = 8; },
  purposes: (p) => { p.purposes = [...(p.purposes as object[]), { code: 'analytics', description: 'Statistics', legalBasis: 'legitimate-interest' }]; },
  recipients: (p) => { p.recipients = (p.recipients as { code: string }[]).map((r) => (r.code === 'stripe' ? { ...r, country: 'US' } : r)); },
  'policy.noticePeriodDays': (p) => { p.policy = { noticePeriodDays: 0 }; },
  access: (p) => { p.access = { ...(p.access as object), 'mail-content': ['spam-control', 'owner'] }; },
  'aggregates.kAnonymity': (p) => { p.aggregates = { kAnonymity: 25 }; },
  'inventory.customFields': (p) => { p.inventory = { customFields: { 7: 'mail-content' } }; },
  'inventory.healthFields': (p) => { p.inventory = { healthFields: ['notes'] }; },
};

function viewOf(raw: Raw) {
  const profile = PrivacyProfile.parse(raw);
  return policyView(profile, settingsFrom(profile, { slug: 'acme', name: 'Acme' }, ['consent', 'rights']), 'en');
}

describe('policy fidelity', () => {
  it('every profile field is either shown by the policy view or excluded with a documented reason', () => {
    const paths = schemaPaths(PrivacyProfile).sort();
    const listed = [...VIEW_COVERS, ...Object.keys(VIEW_EXCLUDES)].sort();
    expect(listed).toEqual(paths);
    for (const reason of Object.values(VIEW_EXCLUDES)) expect(reason.length).toBeGreaterThan(10);
  });

  it('the change table tries every covered field', () => {
    expect(Object.keys(CHANGES).sort()).toEqual([...VIEW_COVERS].sort());
  });

  const base = viewOf(BASE);
  const edition = { version: '1', effectiveAt: 0, archived: false, pending: false, upcoming: null, versions: [] };
  const html = (raw: Raw, locale = 'en') => renderPage({ ...policyPage(viewOf(raw), edition, locale, {}), nonce: 'n' });
  it.each([...VIEW_COVERS])('changing %s changes the policy view and the page that shows it', (field) => {
    const changed = structuredClone(BASE);
    CHANGES[field](changed);
    expect(PrivacyProfile.parse(changed)).not.toEqual(PrivacyProfile.parse(BASE));
    expect(viewOf(changed)).not.toEqual(base);
    for (const locale of ['en', 'ar']) expect(html(changed, locale)).not.toEqual(html(BASE, locale));
  });

  it('module settings a reader needs change the view: cookie policy page, export link lifetime, reveal time', () => {
    const profile = PrivacyProfile.parse(BASE);
    const settings = (modules: Raw) => settingsFrom({ ...profile, modules: modules as typeof profile.modules }, { slug: 'acme', name: 'Acme' }, ['consent', 'registrant', 'rights']);
    const plain = policyView(profile, settings({}), 'en');
    expect(policyView(profile, settings({ consent: { cookies: { policyUrl: 'https://acme.example/cookies' } } }), 'en').cookies.policyUrl).toBe('https://acme.example/cookies');
    expect(policyView(profile, settings({ rights: { export: { linkTtlHours: 24 } } }), 'en').rights.exportLinkHours).toBe(24);
    expect(plain.rights.exportLinkHours).toBe(72);
    expect(policyView(profile, settings({ registrant: { reveal: { responseDays: 7 } } }), 'en').domains?.revealResponseDays).toBe(7);
  });
});
