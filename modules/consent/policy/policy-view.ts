/**
 * The published privacy policy as data: `policyView(profile, settings, locale)` turns a brand's effective profile and
 * module settings into a structured view (no HTML, no translated text) that the policy template renders. Every
 * behavioural profile field has a place here; tests/modules/consent/policy-fidelity.test.ts keeps it so.
 */
import { z } from 'zod';
import { FIELD_CATEGORIES } from '../../../core/subjects/field-catalogue';
import { DataCategory, Purpose, RetentionRule, type PrivacyProfile } from '../../../core/profile/schema';
import { statutoryInvoiceYears } from '../../../core/profile/statutory';
import { supervisoryAuthorityOf } from '../../../core/profile/supervisory-authority';
import { Role } from '../../../core/apikeys/roles';

/** The marker of an archived view in a consent document's body (a body without it is a hand-written text). */
export const POLICY_VIEW_FORMAT = 'policy-view/1';

/** The rights a person has here and the suite implements (modules/rights, modules/consent). */
export const POLICY_RIGHTS = ['confirm', 'access', 'portability', 'rectify', 'erase', 'restrict', 'object', 'withdraw', 'complain'] as const;

/** How a person opts out of marketing: the link in every message, the privacy center, or by writing to the controller. */
export const OPT_OUT_WAYS = ['link', 'privacy-center', 'support'] as const;

/** Where the suite records acceptance of the policy, each bound to the version shown (MS-2 / SP-3). */
export const COLLECTION_POINTS = ['registration', 'checkout', 'newsletter', 'profile-change'] as const;

/** Safeguards the suite always applies (MS-10, WSM-23, TOS-1.2). */
export const SAFEGUARDS = ['https', 'encryption-at-rest', 'password-hashing', 'card-tokens-only', 'audit-log', 'attack-alerts'] as const;

const Country = z.string().length(2).optional();

/** One data category the brand holds: the fields in it, who reads it, why, who receives it and how long it is kept. */
export const CollectedCategory = z.object({
  category: DataCategory,
  fields: z.array(z.string()),
  customFields: z.array(z.string()),
  automatic: z.boolean(),
  readBy: z.array(Role),
  purposes: z.array(z.string()),
  recipients: z.array(z.string()),
});

export const PolicyRecipient = z.object({
  code: z.string(), name: z.string(), kind: z.string(), country: Country,
  /** true: outside the controller's country; null: one of the two countries is not known. */
  transfer: z.boolean().nullable(),
  purposes: z.array(z.string()), categories: z.array(DataCategory),
});

/**
 * The structured policy: what the template renders and what a published version archives (as JSON). Archived versions
 * are parsed with this schema when shown, so a field added later needs a `.default(…)` (or a new format marker).
 */
export const PolicyView = z.object({
  format: z.literal(POLICY_VIEW_FORMAT),
  locale: z.string(),
  languages: z.array(z.string()),
  brand: z.object({ slug: z.string(), name: z.string() }),
  controller: z.object({ name: z.string(), address: z.string(), email: z.string(), country: Country, dpo: z.string().optional() }).nullable(),
  /** Where a person may complain (GDPR Art. 77): the profile's, else the controller country's; null: the reader's own. */
  supervisoryAuthority: z.object({ name: z.string(), url: z.string().optional(), email: z.string().optional(), country: Country }).nullable(),
  /** Who reads each data category (MS-1.2, ESM-3): the whole access table, categories not held included. */
  access: z.array(z.object({ category: DataCategory, roles: z.array(Role) })),
  /** For a reseller brand: the provider whose platform it runs on (requests still go to this brand's controller, WSM-25). */
  parent: z.object({ name: z.string() }).nullable(),
  collected: z.array(CollectedCategory),
  collectionPoints: z.array(z.string()),
  requireTermsAtCheckout: z.boolean(),
  healthDataRefused: z.object({ customFields: z.array(z.string()), freeTextFields: z.array(z.string()) }),
  purposes: z.array(Purpose),
  recipients: z.array(PolicyRecipient),
  neverSold: z.literal(true),
  legalDisclosure: z.object({ onLegalRequestOnly: z.literal(true), secondApprover: z.literal(true) }).nullable(),
  aggregates: z.object({ kAnonymity: z.number() }),
  retention: z.object({
    rules: z.array(RetentionRule),
    statutoryInvoiceYears: z.number(),
    sweep: z.literal('daily-with-dry-run'),
  }),
  rights: z.object({
    list: z.array(z.enum(POLICY_RIGHTS)),
    dueRule: z.enum(['business-days', 'gdpr-month', 'ccpa-45-days']),
    dueBusinessDays: z.number(),
    resellerRemovalBusinessDays: z.number(),
    weekend: z.array(z.number()),
    holidays: z.array(z.string()),
    holidayCountry: z.string().nullable(),
    holidayRegion: z.string().nullable(),
    verifyIdentity: z.boolean(),
    exportLinkHours: z.number().nullable(),
  }),
  cookies: z.object({ mode: z.enum(['notice-only', 'opt-in']), categories: z.array(z.string()), honourGpc: z.boolean(), policyUrl: z.string().nullable() }),
  children: z.object({ minimumAge: z.number() }),
  marketing: z.object({
    model: z.enum(['opt-in', 'opt-out']), channels: z.array(z.string()), doubleOptIn: z.boolean(),
    optOut: z.array(z.enum(OPT_OUT_WAYS)), transactionalAlways: z.literal(true), purposes: z.array(z.string()),
  }),
  domains: z.object({
    registries: z.array(z.string()), escrow: z.array(z.string()), whoisRedacted: z.literal(true),
    privacyService: z.boolean(), revealResponseDays: z.number().nullable(),
  }).nullable(),
  changes: z.object({ noticePeriodDays: z.number(), rejectKeepsOldVersion: z.boolean() }),
  safeguards: z.array(z.enum(SAFEGUARDS)),
  abuseMaySuspend: z.boolean(),
});
export type PolicyView = z.infer<typeof PolicyView>;

/** Facts about the brand and its modules that the page needs beside the profile. */
export interface PolicySettings {
  brand: { slug: string; name: string };
  parentName?: string;
  /** Modules switched on for the brand (domain and abuse sections depend on them). */
  enabledModules: string[];
  /** `modules.consent.cookies.policyUrl`: the brand's own cookie policy page. */
  cookiePolicyUrl?: string;
  /** `modules.registrant`: whether a privacy service is configured and the reveal response time. */
  registrant?: { privacyService: boolean; revealResponseDays: number };
  /** `modules.rights.export.linkTtlHours`. */
  exportLinkHours?: number;
}

const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];

function collected(p: PrivacyProfile): PolicyView['collected'] {
  const custom = Object.entries(p.inventory.customFields);
  const named = new Set<string>([
    ...Object.values(FIELD_CATEGORIES), ...custom.map(([, c]) => c),
    ...p.retention.map((r) => r.category), ...p.recipients.flatMap((r) => r.categories),
  ]);
  return DataCategory.options.filter((c) => named.has(c)).map((category) => {
    const fields = Object.entries(FIELD_CATEGORIES).filter(([, c]) => c === category).map(([f]) => f);
    const recipients = p.recipients.filter((r) => r.categories.includes(category));
    return {
      category, fields,
      customFields: custom.filter(([, c]) => c === category).map(([id]) => id).sort(),
      automatic: category === 'usage',
      readBy: p.access[category] ?? [],
      purposes: uniq(recipients.flatMap((r) => r.purposes)),
      recipients: recipients.map((r) => r.code),
    };
  });
}

function domains(p: PrivacyProfile, s: PolicySettings): PolicyView['domains'] {
  const registration = p.recipients.filter((r) => r.purposes.includes('domain-registration'));
  if (!registration.length) return null;
  return {
    registries: registration.filter((r) => r.kind === 'registrar' || r.kind === 'registry').map((r) => r.code),
    escrow: registration.filter((r) => r.kind === 'escrow').map((r) => r.code),
    whoisRedacted: true,
    privacyService: s.registrant?.privacyService ?? false,
    revealResponseDays: s.registrant?.revealResponseDays ?? null,
  };
}

/** The structured policy of a brand: a pure function of its effective profile, module settings and the reader's locale. */
export function policyView(p: PrivacyProfile, s: PolicySettings, locale: string): PolicyView {
  const home = p.controller?.country?.toUpperCase();
  const marketingPurposes = p.purposes.filter((x) => x.requiresConsent || x.legalBasis === 'consent').map((x) => x.code);
  return {
    format: POLICY_VIEW_FORMAT,
    locale,
    languages: p.languages,
    brand: s.brand,
    controller: p.controller ? { ...p.controller, address: p.controller.address ?? '' } : null,
    supervisoryAuthority: supervisoryAuthorityOf(p).authority,
    access: DataCategory.options.map((category) => ({ category, roles: p.access[category] ?? [] })),
    parent: s.parentName ? { name: s.parentName } : null,
    collected: collected(p),
    collectionPoints: [...COLLECTION_POINTS],
    requireTermsAtCheckout: p.consent.requireTermsAtCheckout,
    healthDataRefused: {
      customFields: Object.entries(p.inventory.customFields).filter(([, c]) => c === 'health').map(([id]) => id).sort(),
      freeTextFields: [...p.inventory.healthFields],
    },
    purposes: p.purposes,
    recipients: p.recipients.map((r) => ({
      code: r.code, name: r.name, kind: r.kind, country: r.country, purposes: r.purposes, categories: r.categories,
      transfer: r.country && home ? r.country.toUpperCase() !== home : null,
    })),
    neverSold: true,
    legalDisclosure: p.recipients.some((r) => r.kind === 'authority') ? { onLegalRequestOnly: true, secondApprover: true } : null,
    aggregates: { kAnonymity: p.aggregates.kAnonymity },
    retention: { rules: p.retention, statutoryInvoiceYears: statutoryInvoiceYears(p), sweep: 'daily-with-dry-run' },
    rights: {
      list: [...POLICY_RIGHTS],
      dueRule: p.rights.dueRule,
      dueBusinessDays: p.rights.dueBusinessDays,
      resellerRemovalBusinessDays: p.rights.resellerRemovalBusinessDays,
      weekend: p.rights.weekend,
      holidays: p.rights.holidays,
      holidayCountry: p.rights.holidayCountry ?? home ?? null,
      holidayRegion: p.rights.holidayRegion ?? null,
      verifyIdentity: p.rights.verifyIdentity,
      exportLinkHours: s.exportLinkHours ?? null,
    },
    cookies: { mode: p.cookies.mode, categories: p.cookies.categories, honourGpc: p.cookies.honourGpc, policyUrl: s.cookiePolicyUrl ?? null },
    children: { minimumAge: p.consent.minimumAge },
    marketing: {
      model: p.consent.model, channels: p.consent.channels, doubleOptIn: p.consent.doubleOptIn,
      optOut: [...OPT_OUT_WAYS], transactionalAlways: true, purposes: marketingPurposes,
    },
    domains: domains(p, s),
    changes: { noticePeriodDays: p.policy.noticePeriodDays, rejectKeepsOldVersion: p.policy.noticePeriodDays > 0 },
    safeguards: [...SAFEGUARDS],
    abuseMaySuspend: s.enabledModules.includes('platform') || p.purposes.some((x) => x.code === 'spam-control'),
  };
}
