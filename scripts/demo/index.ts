/**
 * The demo: creates the five demo brands (if missing) from scripts/demo/profiles and fills each with synthetic
 * customers through the reference platform's lifecycle, so every hook fires as it would from a WHMCS install.
 */
import type { Suite } from '../../core/suite';
import { SuiteError } from '../../core/errors';
import type { PlatformService } from '../../modules/platform';
import type { RightsService } from '../../modules/rights/public';
import { publishPolicy } from '../../modules/consent/public';
import { DEMO_BRANDS, minimalProfile, readProfile, type DemoBrand } from './demo-brands';
import { fakeDomain, fakePayer, fakePerson } from './fake-people';

/** Options of a demo run. */
export interface DemoOptions {
  /** Synthetic customers per brand (default 8). */
  customersPerBrand?: number;
  /** Progress messages (never personal data); defaults to printing them. */
  onProgress?: (message: string, detail?: Record<string, unknown>) => void;
  /** Where the profile files are (defaults to scripts/demo/profiles). */
  profileDir?: string;
}

/** What the demo did for one brand. */
export interface BrandCounts {
  slug: string; created: boolean; profile: 'file' | 'minimal' | 'existing'; hookSecret?: string; skipped: boolean;
  customers: number; contacts: number; services: number; domains: number; registered: number; invoices: number; paid: number;
  thirdPartyPayers: number; cancellations: number; closed: number; abuseComplaints: number; suspended: number; vetoed: number;
  rightsRequests: number;
}

/** What a demo run did. */
export interface DemoResult { brands: BrandCounts[]; totals: Omit<BrandCounts, 'slug' | 'created' | 'profile' | 'hookSecret' | 'skipped'> }

const COUNT_KEYS = ['customers', 'contacts', 'services', 'domains', 'registered', 'invoices', 'paid', 'thirdPartyPayers', 'cancellations', 'closed', 'abuseComplaints', 'suspended', 'vetoed', 'rightsRequests'] as const;

async function ensureBrand(suite: Suite, b: DemoBrand, opts: DemoOptions, say: NonNullable<DemoOptions['onProgress']>): Promise<Pick<BrandCounts, 'created' | 'profile' | 'hookSecret'>> {
  if (await suite.kernel.brands.find(b.slug)) return { created: false, profile: 'existing' };
  const fromFile = readProfile(b.slug, opts.profileDir);
  if (!fromFile) say(`[${b.slug}] no profile file; using a minimal profile with a controller`);
  const actor = { type: 'cli' as const, id: 'demo' };
  const { hookSecret } = await suite.kernel.brands.create({ slug: b.slug, name: b.name, parent: b.parent, profile: fromFile ?? minimalProfile(b) }, actor);
  say(`[${b.slug}] brand created`, { parent: b.parent ?? null, profile: fromFile ? 'file' : 'minimal' });
  return { created: true, profile: fromFile ? 'file' : 'minimal', hookSecret };
}

/** Counts a refused action (a module vetoed it) instead of stopping the demo. */
async function vetoable<T>(c: BrandCounts, fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof SuiteError && err.code === 'SUITE_PLATFORM_VETOED') {
      c.vetoed += 1;
      return null;
    }
    throw err;
  }
}

async function fillBrand(platform: PlatformService, b: DemoBrand, n: number, c: BrandCounts, say: NonNullable<DemoOptions['onProgress']>, sellsDomains: boolean): Promise<number[]> {
  const serviceOf: number[] = [];
  const clientOf: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = fakePerson(b.slug, i, b.countries);
    const facts = { ip: `198.51.100.${(i % 250) + 1}`, userAgent: 'Mozilla/5.0 (demo)', locale: 'en' };
    const { dateOfBirth, ...details } = p;
    const signed = await vetoable(c, () => platform.signUp(b.slug, details, facts));
    if (!signed) continue;
    c.customers += 1;
    clientOf[i] = signed.clientId;
    if (i % 3 === 0) {
      await platform.addContact(signed.clientId, { firstname: 'Billing', lastname: p.lastname, email: `billing.${i}+${b.slug}@example.org`, country: p.country }, facts);
      c.contacts += 1;
    }
    const items = [
      { type: 'hosting' as const, product: b.product, domain: fakeDomain(b.slug, p, i), amount: b.price },
      // A brand whose policy names no registrar cannot pass registrant data to one, so it sells no domains.
      ...(sellsDomains ? [{ type: 'domain' as const, name: fakeDomain(b.slug, p, i), regperiod: 1 + (i % 2), idprotection: i % 2 === 0, amount: 12 }] : []),
    ];
    const placed = await vetoable(c, () => platform.order(signed.clientId, items, { accepttos: true, marketing_emails_opt_in: p.marketing_emails_opt_in, paymentmethod: 'stripe', date_of_birth: dateOfBirth }, facts));
    if (!placed) continue;
    c.services += placed.serviceIds.length;
    c.domains += placed.domainIds.length;
    c.invoices += 1;
    serviceOf[i] = placed.serviceIds[0];
    const thirdParty = i % 4 === 1;
    await platform.pay(placed.invoiceId, thirdParty ? { payer: fakePayer(b.slug, i) } : {}, facts);
    c.paid += 1;
    if (thirdParty) c.thirdPartyPayers += 1;
    for (const domainId of placed.domainIds) if (await vetoable(c, () => platform.registerDomain(domainId, facts))) c.registered += 1;
    say(`[${b.slug}] customer ${i + 1}/${n}`);
  }
  if (b.slug === 'email-server-management' && serviceOf[0]) {
    const r = await platform.reportAbuse(serviceOf[0], { category: 'spam', source: 'feedback-loop', reference: 'demo-fbl-0001' });
    c.abuseComplaints += 1;
    if (r.suspended) c.suspended += 1;
    say(`[${b.slug}] abuse complaint against a service`, { suspended: r.suspended });
  }
  const cancelIdx = n >= 3 ? n - 2 : -1;
  if (cancelIdx >= 0 && serviceOf[cancelIdx]) {
    await platform.cancel(serviceOf[cancelIdx], 'Moving to another provider');
    c.cancellations += 1;
  }
  const closeIdx = n - 1;
  if (n >= 2 && clientOf[closeIdx]) {
    await platform.close(clientOf[closeIdx]);
    c.closed += 1;
  }
  return clientOf.filter((id): id is number => id !== undefined);
}

/**
 * A few data subject requests so the rights queue has something to show: the first customer asks for a copy of their
 * data from the panel (verified by the logged-in session), the second asks whether the brand holds data about them
 * (waiting for verification), and the third objects to marketing (answered at once).
 */
async function openRightsRequests(suite: Suite, slug: string, clientIds: number[], c: BrandCounts, say: NonNullable<DemoOptions['onProgress']>): Promise<void> {
  if (!suite.registry.get('rights')) return;
  const rights = suite.kernel.service<RightsService>('rights');
  const brand = await suite.kernel.brands.get(slug);
  const actor = { type: 'cli' as const, id: 'demo' };
  const plan: { type: 'access' | 'confirm' | 'object'; verified: boolean; fulfil: boolean }[] = [
    { type: 'access', verified: true, fulfil: false },
    { type: 'confirm', verified: false, fulfil: false },
    { type: 'object', verified: false, fulfil: true },
  ];
  for (const [i, step] of plan.entries()) {
    const clientId = clientIds[i];
    if (clientId === undefined) continue;
    const r = await rights.open(brand, { type: step.type, client: { kind: 'client', id: clientId } }, { source: 'hook', actor, verification: step.verified ? { method: 'panel-session' } : undefined });
    if (step.fulfil) await rights.fulfil(await suite.kernel.brands.getById(r.queueBrandId), r.id, actor);
    c.rightsRequests += 1;
  }
  say(`[${slug}] rights requests opened`, { count: c.rightsRequests });
}

/** Creates the demo brands if missing and fills each with `customersPerBrand` synthetic customers; returns the counts. */
export async function runDemo(suite: Suite, opts: DemoOptions = {}): Promise<DemoResult> {
  const n = Math.max(0, Math.floor(opts.customersPerBrand ?? 8));
  const say = opts.onProgress ?? ((m: string) => console.log(m));
  const platform = suite.kernel.service<PlatformService>('platform');
  const brands: BrandCounts[] = [];
  for (const b of DEMO_BRANDS) {
    const created = await ensureBrand(suite, b, opts, say);
    const c: BrandCounts = { slug: b.slug, ...created, skipped: false, ...Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) } as BrandCounts;
    const brand = await suite.kernel.brands.get(b.slug);
    // Published first, so the demo customers' acceptances bind to the policy version they were shown (MS-2).
    if (suite.registry.get('consent')) {
      const published = (await publishPolicy(suite.kernel, brand, { type: 'cli', id: 'demo' })).filter((p) => p.published);
      if (published.length) say(`[${b.slug}] privacy policy published at /b/${b.slug}/policy`, { versions: published.map((p) => `${p.language}:${p.published!.version}`) });
    }
    const existing = Number(((await suite.kernel.db('platform_clients').where({ brand_id: brand.id }).count({ n: '*' }).first()) as { n: number | string }).n);
    if (existing > 0) {
      c.skipped = true;
      say(`[${b.slug}] already has ${existing} customers; left as it is`);
    } else {
      const profile = await suite.kernel.brands.profile(brand);
      const sellsDomains = profile.recipients.some((r) => r.purposes.includes('domain-registration'));
      const clientIds = await fillBrand(platform, b, n, c, say, sellsDomains);
      await openRightsRequests(suite, b.slug, clientIds, c, say);
    }
    brands.push(c);
  }
  const totals = Object.fromEntries(COUNT_KEYS.map((k) => [k, brands.reduce((s, x) => s + x[k], 0)])) as DemoResult['totals'];
  say('demo loaded', totals);
  return { brands, totals };
}
