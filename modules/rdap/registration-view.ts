/**
 * The redaction decisions for one domain's registration data, made once for every directory that publishes it:
 * RDAP (`domain-response.ts`) and WHOIS (`whois/whois-format.ts`) only format what this decides (WSM-16a, WSM-17).
 */
import crypto from 'node:crypto';
import type { Brand } from '../../core/brands/brand';
import type { Kernel } from '../../core/kernel';
import type { DomainHolding, RegistrantService, RegistrationData } from '../registrant/public';
import type { RegistryContact } from '../registrars/contract';
import type { RdapSettings } from './settings';
import { publicBaseUrl } from '../../core/links/public-url';
import { defaultContactFormUrl } from './contact/contact-form';

/** A value published as it is, or redacted. */
export type Shown<T> = { redacted: false; value: T } | { redacted: true };

/** How an email is published: the contact's own (consented, or the privacy service's), an anonymised address, or a form link. */
export type EmailShown = { kind: 'own'; email: string } | { kind: 'email'; email: string } | { kind: 'form'; uri: string };

/** What a directory publishes of one contact; an absent member is not part of the answer at all. */
export interface ContactView {
  role: 'registrant' | 'tech';
  /** True when this is the privacy service's contact (nothing personal, nothing redacted). */
  privacy: boolean;
  /** The registry handle; redacted for the customer's own contacts. */
  handle: Shown<string>;
  name: Shown<string>;
  org?: Shown<string>;
  kind?: 'org' | 'individual';
  address?: { street: Shown<string[]>; city: Shown<string>; pc: Shown<string>; sp: string; cc: string };
  voice?: Shown<string>;
  fax?: Shown<string>;
  email: EmailShown;
}

/** The registration data as published: the domain's facts and the contacts' decisions. */
export interface RegistrationView {
  domain: string; status: string; registeredAt: number | null; renewedAt: number | null;
  /** When the domain's record last changed (the answer's "last update of RDAP database"; stable, so the answer's ETag is). */
  updatedAt: number;
  contacts: ContactView[];
  /** True when a customer's consent puts any of their personal data in the answer (never cached by others: `no-store`). */
  publishesPersonalData: boolean;
}

/** What the decisions depend on besides the data: the brand's RDAP settings and the controller's address. */
export interface ViewContext {
  settings: RdapSettings;
  controllerEmail?: string;
  /** The suite's own contact form (a `{domain}`/`{role}` template), the contact-uri when no `contactFormUrl` is set. */
  ownFormUrl?: string;
}

const shown = <T>(value: T): Shown<T> => ({ redacted: false, value });
const REDACTED = { redacted: true } as const;

function emailReplacement(ctx: ViewContext, data: RegistrationData, role: 'registrant' | 'tech'): EmailShown {
  const form = ctx.settings.contactFormUrl;
  const anonymised = data.anonymisedEmail[role];
  const template = form ?? ctx.ownFormUrl;
  const formUri = (): string => (template
    ? template.replace(/\{domain\}/g, encodeURIComponent(data.domain)).replace(/\{role\}/g, role)
    : `mailto:${ctx.controllerEmail ?? `privacy@${data.domain}`}?subject=${encodeURIComponent(`Contact the ${role} of ${data.domain}`)}`);
  const mode = ctx.settings.redactedEmail;
  if (mode === 'email' && anonymised) return { kind: 'email', email: anonymised };
  if (mode === 'auto' && !form && anonymised) return { kind: 'email', email: anonymised };
  return { kind: 'form', uri: formUri() };
}

/** The privacy service's contact, published as it is. */
function privacyView(role: 'registrant' | 'tech', c: RegistryContact): ContactView {
  const v: ContactView = {
    role, privacy: true, handle: shown(c.id), name: shown(c.name), kind: 'org',
    address: { street: shown([...c.street]), city: shown(c.city), pc: shown(c.pc ?? ''), sp: c.sp ?? '', cc: c.cc },
    email: { kind: 'own', email: c.email },
  };
  if (c.org) v.org = shown(c.org);
  if (c.voice) v.voice = shown(c.voice);
  return v;
}

/**
 * The customer's own contact, redacted per the February 2024 gTLD profile: handle, name, organisation, street, city,
 * postal code, phone and fax redacted, the email replaced — except exactly the consented fields. State/Province and
 * Country stay published. The tech contact carries name, phone and email only (Registration Data Policy).
 */
function ownView(role: 'registrant' | 'tech', c: RegistryContact, consented: readonly string[], email: EmailShown): ContactView {
  const shows = (f: string) => consented.includes(f);
  const v: ContactView = {
    role, privacy: false, handle: REDACTED, name: shows('name') ? shown(c.name) : REDACTED,
    email: shows('email') ? { kind: 'own', email: c.email } : email,
  };
  if (role === 'registrant') {
    if (c.org) v.org = shows('org') ? shown(c.org) : REDACTED;
    v.kind = c.org ? 'org' : 'individual';
    const addr = shows('addr');
    v.address = {
      street: addr ? shown([...c.street]) : REDACTED, city: addr ? shown(c.city) : REDACTED, pc: addr ? shown(c.pc ?? '') : REDACTED,
      sp: c.sp ?? '', cc: c.cc,
    };
  }
  if (!shows('voice')) v.voice = REDACTED;
  else if (c.voice) v.voice = shown(c.voice);
  // Fax is never consented to publish (the registrant module's publishable fields have none).
  if (role === 'registrant') v.fax = REDACTED;
  return v;
}

/** The roles a directory shows under the Registration Data Policy. */
export function shownRoles(data: RegistrationData): ('registrant' | 'tech')[] {
  return (['registrant', 'tech'] as const).filter((r) => data.contacts[r]);
}

/** Decides what of `data` is published: the one place the redaction rules live. */
export function registrationView(ctx: ViewContext, data: RegistrationData): RegistrationView {
  const contacts = shownRoles(data).map((role) => {
    const c = data.contacts[role]!;
    return data.privacy ? privacyView(role, c) : ownView(role, c, data.consented[role] ?? [], emailReplacement(ctx, data, role));
  });
  const publishesPersonalData = !data.privacy && shownRoles(data).some((r) => (data.consented[r] ?? []).length > 0);
  return { domain: data.domain, status: data.status, registeredAt: data.registeredAt, renewedAt: data.renewedAt, updatedAt: data.updatedAt, contacts, publishesPersonalData };
}

/** How far a holding is at the registry: a registered name outranks one being registered or moved; anything else last. */
const STANDING: Record<string, number> = { registered: 3, renewed: 3, suspended: 3, registering: 2, transferring: 2 };

/** The brand whose record of the name is answered: among brands with RDAP and registrant on, the one where it is active. */
async function activeHolding(kernel: Kernel, holdings: DomainHolding[]): Promise<{ brand: Brand; holding: DomainHolding } | undefined> {
  const candidates: { brand: Brand; holding: DomainHolding }[] = [];
  for (const h of holdings) {
    const brand = await kernel.brands.getById(h.brandId);
    if (!(await kernel.modules.enabledFor(kernel.brands, brand, 'rdap'))) continue;
    if (!(await kernel.modules.enabledFor(kernel.brands, brand, 'registrant'))) continue;
    candidates.push({ brand, holding: h });
  }
  candidates.sort((a, b) => (STANDING[b.holding.status] ?? 0) - (STANDING[a.holding.status] ?? 0) || b.holding.updatedAt - a.holding.updatedAt);
  return candidates[0];
}

/** A published registration: the answering brand, its settings and the view. */
export interface PublishedRegistration { brand: Brand; settings: RdapSettings; view: RegistrationView }

/**
 * Which brand answers a name and everything its answer depends on besides the stored record, read in one indexed
 * query (the holdings with their consent to publish; the ledger only where a consent row exists): `version` changes whenever the answer may (the record's
 * `updated_at`, which every write to the domain or its contacts sets; the consented fields, read fresh from the
 * consent ledger; the brand's effective profile, which holds both modules' settings).
 */
export interface Publication { brand: Brand; holding: DomainHolding; version: string }

const profileDigests = new WeakMap<object, string>();
/** A digest of a profile's content, computed once per profile object (the brand service re-reads it every few seconds). */
function digestOf(profile: object): string {
  let d = profileDigests.get(profile);
  if (d === undefined) profileDigests.set(profile, (d = crypto.createHash('sha256').update(JSON.stringify(profile)).digest('base64url').slice(0, 16)));
  return d;
}

/** The publication of an LDH name, or undefined when no brand with RDAP on holds it. */
export async function publicationOf(kernel: Kernel, name: string): Promise<Publication | undefined> {
  const pubs = await kernel.service<RegistrantService>('registrant').publications(name);
  const found = await activeHolding(kernel, pubs);
  if (!found) return undefined;
  const profile = await kernel.brands.profile(found.brand);
  const h = found.holding;
  const fields = pubs.find((p) => p.brandId === h.brandId)?.fields ?? [];
  return { ...found, version: [h.brandId, h.status, h.updatedAt, fields.join(','), digestOf(profile)].join('|') };
}

/** The published view of a publication (the record read and decrypted); undefined when it went away meanwhile. */
export async function publishedRegistration(kernel: Kernel, pub: Publication, name: string): Promise<PublishedRegistration | undefined> {
  const data = await kernel.service<RegistrantService>('registrant').registrationData(pub.brand.id, name);
  if (!data) return undefined;
  const settings = await kernel.settings<RdapSettings>('rdap', pub.brand);
  const profile = await kernel.brands.profile(pub.brand);
  return { brand: pub.brand, settings, view: registrationView({ settings, controllerEmail: profile.controller?.email, ownFormUrl: defaultContactFormUrl(publicBaseUrl(kernel, profile)) }, data) };
}

/** Finds the registration of an LDH name and decides what of it is published; undefined when it is not held here. */
export async function findRegistration(kernel: Kernel, name: string): Promise<PublishedRegistration | undefined> {
  const pub = await publicationOf(kernel, name);
  return pub ? publishedRegistration(kernel, pub, name) : undefined;
}
