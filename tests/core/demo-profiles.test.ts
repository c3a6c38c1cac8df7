/** The five demo privacy profiles (scripts/demo/profiles/): each validates and encodes what its seed policy promises. */
import fs from 'node:fs';
import { statutoryInvoiceYears } from '../../core/profile/statutory';
import path from 'node:path';
import { PrivacyProfile, type PartialProfile } from '../../core/profile/schema';
import { DEFAULT_PROFILE } from '../../core/profile/defaults';
import { mergeLayers } from '../../core/profile/merge';
import { zodIssues } from '../../core/errors';

const DIR = path.resolve(__dirname, '..', '..', 'scripts', 'demo', 'profiles');

/** Slug → parent slug (null for a provider brand). */
const BRANDS: Record<string, string | null> = {
  masterserver: null,
  websoftmaster: null,
  'websoftmaster-reseller': 'websoftmaster',
  'server-pro': null,
  'tos-provider': null,
  'email-server-management': null,
};

function file(slug: string): PartialProfile {
  return JSON.parse(fs.readFileSync(path.join(DIR, `${slug}.json`), 'utf8')) as PartialProfile;
}

/** The effective profile the brand service would compute: defaults ← parent ← brand. */
function effective(slug: string): PrivacyProfile {
  const parent = BRANDS[slug];
  const layers = [DEFAULT_PROFILE, ...(parent ? [file(parent)] : []), file(slug)];
  const parsed = PrivacyProfile.safeParse(mergeLayers(...layers));
  if (!parsed.success) throw new Error(`${slug}: ${JSON.stringify(zodIssues(parsed.error.issues, 'profile'))}`);
  return parsed.data;
}

const slugs = Object.keys(BRANDS);

describe('demo profiles', () => {
  it('ships exactly one JSON profile per demo brand', () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
    expect(files).toEqual([...slugs].sort());
  });

  it.each(slugs)('%s: merges over the defaults and validates, naming a controller with an email', (slug) => {
    const p = effective(slug);
    expect(p.controller?.name).toBeTruthy();
    expect(p.controller?.email).toMatch(/@/);
    expect(p.aggregates.kAnonymity).toBe(10);
    for (const d of p.rights.holidays) expect(d >= '2026-01-01' && d <= '2027-12-31').toBe(true);
  });

  it.each(slugs)('MS-9 / WSM-27: %s keeps billing records for its statutory years and drops payment tokens once the account closes', (slug) => {
    const p = effective(slug);
    const billing = p.retention.find((r) => r.category === 'billing');
    expect(billing).toMatchObject({ from: 'invoice-paid', action: 'strip' });
    expect(billing!.days).toBeGreaterThanOrEqual(statutoryInvoiceYears(p) * 365);
    expect(p.retention.find((r) => r.category === 'payment-token')).toMatchObject({ from: 'account-closed', days: 0, action: 'delete' });
    const categories = p.retention.map((r) => r.category);
    expect(new Set(categories).size).toBe(categories.length);
  });
});

describe('MasterServer (000)', () => {
  const p = effective('masterserver');

  it('MS-8c: MasterServer answers data requests within 3 business days', () => {
    expect(p.rights.dueBusinessDays).toBe(3);
    expect(p.rights.holidays).toEqual(expect.arrayContaining(['2026-12-02', '2027-12-02']));
  });

  it('MS-8d: MasterServer verifies identity before disclosing data', () => {
    expect(p.rights.verifyIdentity).toBe(true);
  });

  it('MS-11: MasterServer applies policy changes with no notice period', () => {
    expect(p.policy.noticePeriodDays).toBe(0);
  });

  it('MS-1: MasterServer uses notice-only cookies ("by continuing to use this site, you agree") over all four categories', () => {
    expect(p.cookies.mode).toBe('notice-only');
    expect(p.cookies.categories).toEqual(expect.arrayContaining(['necessary', 'analytics', 'marketing', 'social']));
  });

  it('MS-7.1: MasterServer markets by email, SMS and phone, opt-in', () => {
    expect(p.consent.model).toBe('opt-in');
    expect(p.consent.channels).toEqual(expect.arrayContaining(['email', 'sms', 'phone']));
  });

  it('MS-5.2: MasterServer registers authorities as a recipient for legal requests only', () => {
    expect(p.recipients.find((r) => r.code === 'authority')).toMatchObject({ kind: 'authority', purposes: ['legal'] });
  });

  it('the controller is MasterServer L.L.C-FZ in Dubai, reachable at support@master-server.com', () => {
    expect(p.controller).toMatchObject({ email: 'support@master-server.com', country: 'AE' });
    expect(p.controller!.name).toContain('MasterServer');
  });
});

describe('WebSoftMaster (001) and its reseller', () => {
  const p = effective('websoftmaster');
  const reseller = effective('websoftmaster-reseller');

  it('WSM-19: WebSoftMaster subscribes by default (opt-out model)', () => {
    expect(p.consent.model).toBe('opt-out');
    expect(p.consent.channels).toContain('email');
  });

  it('WSM-22: WebSoftMaster minimum age is 13', () => {
    expect(p.consent.minimumAge).toBe(13);
  });

  it('WSM-24: WebSoftMaster gives advance notice of material policy changes', () => {
    expect(p.policy.noticePeriodDays).toBeGreaterThan(0);
  });

  it('WSM-25: a reseller names its own controller and removal orders are due in 30 business days', () => {
    expect((file('websoftmaster-reseller') as { controller?: unknown }).controller).toBeDefined();
    expect(reseller.controller?.name).not.toBe(p.controller?.name);
    expect(reseller.controller?.email).not.toBe(p.controller?.email);
    expect(p.rights.resellerRemovalBusinessDays).toBe(30);
    expect(reseller.rights.resellerRemovalBusinessDays).toBe(30);
    // Everything else is inherited from WebSoftMaster.
    expect(reseller.consent).toEqual(p.consent);
    expect(reseller.recipients).toEqual(p.recipients);
    expect(reseller.rights.holidays).toEqual(p.rights.holidays);
  });

  it('WSM-13: the co-marketing partner receives contact data only, never billing data', () => {
    const partner = p.recipients.find((r) => r.kind === 'partner');
    expect(partner).toBeDefined();
    expect(partner!.categories).toEqual(['contact']);
  });

  it('WSM-16b: registration data may be deposited with an escrow provider', () => {
    expect(p.recipients.find((r) => r.kind === 'escrow')?.categories).toEqual(expect.arrayContaining(['registration']));
  });

  it('WSM-12: FastDomain, email, SSL, PayPal and Stripe are registered recipients', () => {
    expect(p.recipients.map((r) => r.code)).toEqual(expect.arrayContaining(['registrar', 'email', 'ssl', 'stripe', 'paypal']));
    expect(p.recipients.find((r) => r.code === 'registrar')?.name).toContain('FastDomain');
  });

  it('WSM-15: authorities are a recipient for legal process only', () => {
    expect(p.recipients.find((r) => r.code === 'authority')).toMatchObject({ kind: 'authority', purposes: ['legal'] });
  });

  it('WSM-8 / WSM-14: aggregate figures suppress groups smaller than 10', () => {
    expect(p.aggregates.kAnonymity).toBe(10);
  });
});

describe('Server-pro (002)', () => {
  const p = effective('server-pro');

  it('SP-1: Server-pro has SMS as its own channel, with an SMS gateway recipient', () => {
    expect(p.consent.channels).toEqual(expect.arrayContaining(['email', 'sms']));
    expect(p.recipients.find((r) => r.kind === 'sms')).toBeDefined();
  });

  it('SP-4: Server-pro gives notice of material policy changes', () => {
    expect(p.policy.noticePeriodDays).toBeGreaterThan(0);
  });

  it('SP-3: Server-pro newsletter is opt-in', () => {
    expect(p.consent.model).toBe('opt-in');
  });
});

describe('TOS provider (003)', () => {
  const p = effective('tos-provider');

  it('TOS-1: marketing only with explicit consent', () => {
    expect(p.consent.model).toBe('opt-in');
    expect(p.purposes.find((x) => x.code === 'marketing')).toMatchObject({ legalBasis: 'consent', requiresConsent: true });
  });

  it('TOS-1.3: shares with authorities when the law requires and with contracted vendors (payment, support, infrastructure)', () => {
    expect(p.recipients.map((r) => r.kind)).toEqual(expect.arrayContaining(['authority', 'payment', 'support', 'hosting']));
    expect(p.recipients.find((r) => r.kind === 'authority')?.purposes).toContain('legal');
  });

  it('TOS-1.4: deletion keeps billing records', () => {
    expect(p.retention.find((r) => r.category === 'billing')?.action).toBe('strip');
  });
});

describe('Email Server Management (004)', () => {
  const p = effective('email-server-management');

  it("ESM-3: customers' mail content is visible only to the spam-control role", () => {
    expect(p.access['mail-content']).toEqual(['spam-control']);
  });

  it('ESM billing clause: data is shared only with the card issuer and payment providers', () => {
    expect(new Set(p.recipients.map((r) => r.kind))).toEqual(new Set(['payment']));
  });
});

describe('WSM-11: personal data is never sold', () => {
  it.each(slugs)('WSM-11: no recipient in any demo profile has the purpose sale (%s)', (slug) => {
    const p = effective(slug);
    for (const r of p.recipients) expect(r.purposes).not.toContain('sale');
    expect(p.purposes.map((x) => x.code)).not.toContain('sale');
  });

  it('WSM-11: a profile with a recipient whose purposes include sale is rejected naming the field path', () => {
    const base = file('websoftmaster');
    const recipients = [...(base.recipients as unknown[]), { code: 'data-broker', name: 'Data broker', kind: 'other', purposes: ['marketing', 'sale'], categories: ['contact'] }];
    const parsed = PrivacyProfile.safeParse(mergeLayers(DEFAULT_PROFILE, base, { recipients }));
    expect(parsed.success).toBe(false);
    const fields = zodIssues(parsed.error!.issues, 'profile');
    expect(fields).toContainEqual(expect.objectContaining({ field: `profile.recipients.${recipients.length - 1}.purposes.1`, message: expect.stringContaining('sale') }));
  });
});
