/**
 * The privacy profile: one validated document per brand that drives every module, and from which the published
 * policy page is rendered. Brands store a partial profile; the effective one is merged brand → parent → … → defaults.
 */
import { z } from 'zod';
import { Role } from '../apikeys/roles';

/**
 * Data categories every personal field is tagged with (MS-1.2); 'mail-content' is customers' mailing lists and mail
 * streams (ESM-3). 'health' is no category: a field mapped or flagged to it is refused (SP-9).
 */
export const DataCategory = z.enum(['contact', 'billing', 'usage', 'identity-document', 'correspondence', 'registration', 'payment-token', 'mail-content']);
export type DataCategory = z.infer<typeof DataCategory>;

/**
 * Who reads which category through the admin API (MS-1.2): category → the key roles that see it. Every role is held
 * to it, the owner too; a category the table does not name is seen by nobody. The built-in table keeps mail content
 * to spam control (ESM-3) and identity documents and payment tokens to the provider's own staff; a profile replaces
 * the list of any category it names (e.g. adding 'owner' to 'mail-content', which is then audited as a profile change).
 */
export const AccessTable = z.record(DataCategory, z.array(Role));
export type AccessTable = z.infer<typeof AccessTable>;
export const DEFAULT_ACCESS: Record<DataCategory, Role[]> = {
  contact: ['owner', 'admin', 'reseller', 'support', 'spam-control'],
  billing: ['owner', 'admin', 'reseller'],
  usage: ['owner', 'admin', 'reseller', 'spam-control'],
  'identity-document': ['owner', 'admin'],
  correspondence: ['owner', 'admin', 'reseller', 'support'],
  registration: ['owner', 'admin', 'reseller', 'support'],
  'payment-token': ['owner', 'admin'],
  'mail-content': ['spam-control'],
};

/** Processing purposes the suite knows; 'sale' is never allowed for a recipient (WSM-11). */
export const PurposeCode = z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'validation.profile.purposeCode');

export const Purpose = z.object({
  code: PurposeCode,
  description: z.string().min(1),
  legalBasis: z.enum(['contract', 'legal-obligation', 'legitimate-interest', 'consent', 'vital-interest', 'public-task']),
  requiresConsent: z.boolean().default(false),
});
export type Purpose = z.infer<typeof Purpose>;

export const Recipient = z.object({
  code: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'validation.profile.recipientCode'),
  name: z.string().min(1),
  kind: z.enum(['registrar', 'registry', 'email', 'sms', 'ssl', 'payment', 'escrow', 'hosting', 'support', 'authority', 'partner', 'other']),
  country: z.string().length(2).optional(),
  purposes: z.array(PurposeCode).min(1),
  categories: z.array(DataCategory).default([]),
});
export type Recipient = z.infer<typeof Recipient>;

/**
 * The supervisory authority a person may complain to (GDPR Art. 77), named in their access export and the policy;
 * unset: the authority of the controller's country where one is known, else a sentence pointing to theirs.
 */
export const SupervisoryAuthority = z.object({
  name: z.string().trim().min(1).max(200),
  url: z.string().max(2048).url('validation.profile.authorityUrl').refine((u) => /^https?:\/\//.test(u), 'validation.profile.authorityUrl').optional(),
  email: z.string().email().optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'validation.profile.authorityCountry').optional(),
}).strict();
export type SupervisoryAuthority = z.infer<typeof SupervisoryAuthority>;

/**
 * The event a retention period is counted from. 'last-activity' is an alias of 'last-login' (the latest of the last
 * login, the activity log and paid invoices); 'identity-verified' is when the identity document was stored.
 */
export const RetentionEvent = z.enum([
  'account-closed', 'invoice-paid', 'last-login', 'last-activity', 'collected', 'service-ended', 'domain-expired',
  'consent-withdrawn', 'identity-verified', 'cart-abandoned',
]);
export type RetentionEvent = z.infer<typeof RetentionEvent>;

/** One retention rule: keep `category` for `days` after the event `from`, then apply `action` (the retention module runs it). */
export const RetentionRule = z.object({
  /** A stable key for the rule (approvals and reports refer to it); default derived from category, from, action and versions. */
  id: z.string().regex(/^[a-z0-9][a-z0-9:+._-]{0,79}$/, 'validation.profile.ruleId').optional(),
  category: DataCategory,
  from: RetentionEvent,
  days: z.number().int().nonnegative(),
  action: z.enum(['delete', 'anonymise', 'strip']).default('anonymise'),
  /** SP-4: the rule applies only to records collected under these policy versions (and wins over a general rule for them). */
  policyVersions: z.array(z.string().min(1).max(64)).min(1).optional(),
  /** The "inactive client" rule: a closed or inactive client with no paid invoice for this many months (plus `days`). */
  inactiveMonths: z.number().int().positive().max(600).optional(),
});
export type RetentionRule = z.infer<typeof RetentionRule>;

export const Controller = z.object({
  name: z.string().min(1),
  address: z.string().default(''),
  email: z.string().email(),
  country: z.string().length(2).optional(),
  dpo: z.string().optional(),
});
export type Controller = z.infer<typeof Controller>;

/** How a brand's pages look: its name, one colour (#rrggbb) and a logo (an https URL); each optional. */
export const Branding = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  primaryColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'validation.profile.brandingColor').optional(),
  logoUrl: z.string().max(2048).url('validation.profile.brandingLogo').refine((u) => u.startsWith('https://'), 'validation.profile.brandingLogo').optional(),
}).strict();
export type Branding = z.infer<typeof Branding>;

/** The full, effective profile (every field has a value). */
export const PrivacyProfile = z.object({
  locale: z.string().default('en'),
  languages: z.array(z.string()).default(['en']),
  controller: Controller.optional(),
  supervisoryAuthority: SupervisoryAuthority.optional(),
  consent: z.object({
    model: z.enum(['opt-in', 'opt-out']).default('opt-in'),
    channels: z.array(z.enum(['email', 'sms', 'phone'])).default(['email']),
    doubleOptIn: z.boolean().default(false),
    requireTermsAtCheckout: z.boolean().default(true),
    minimumAge: z.number().int().min(0).max(21).default(16),
  }).default({}),
  cookies: z.object({
    mode: z.enum(['notice-only', 'opt-in']).default('opt-in'),
    categories: z.array(z.enum(['necessary', 'analytics', 'marketing', 'social'])).default(['necessary', 'analytics', 'marketing']),
    honourGpc: z.boolean().default(true),
  }).default({}),
  rights: z.object({
    /** How the due date is counted: business days (`dueBusinessDays`), the GDPR's one calendar month, or the CCPA's 45 days. */
    dueRule: z.enum(['business-days', 'gdpr-month', 'ccpa-45-days']).default('business-days'),
    dueBusinessDays: z.number().int().positive().default(30),
    resellerRemovalBusinessDays: z.number().int().positive().default(30),
    holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).default([]),
    weekend: z.array(z.number().int().min(0).max(6)).default([0, 6]),
    verifyIdentity: z.boolean().default(true),
    /** The country (ISO 3166-1) whose public holidays are not business days (date-holidays); default the controller's country. */
    holidayCountry: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, e.g. "DE"').optional(),
    /** A region of that country (e.g. "ENG", "BY") for regional holidays. */
    holidayRegion: z.string().max(8).optional(),
  }).default({}),
  retention: z.array(RetentionRule).default([]),
  /** Years invoices are kept after erasure; unset: the preset for the controller's country (DE 8, GB 6, US 7, AE 5, else 10). */
  statutoryInvoiceYears: z.number().int().min(0).max(30).optional(),
  purposes: z.array(Purpose).default([]),
  recipients: z.array(Recipient).default([]),
  policy: z.object({ noticePeriodDays: z.number().int().min(0).default(30) }).default({}),
  access: AccessTable.default({}),
  aggregates: z.object({ kAnonymity: z.number().int().min(2).default(10) }).default({}),
  inventory: z.object({
    /** WHMCS custom field id → data category, or 'health' to refuse it (SP-9). */
    customFields: z.record(z.string(), z.union([DataCategory, z.literal('health'), z.literal('ignore')])).default({}),
    /** Free-text hook variables (WHMCS names such as `notes`) this brand flags as health data: a value is refused (SP-9). */
    healthFields: z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'validation.profile.healthField')).default([]),
  }).default({}),
  /** The look of the brand's pages (core/pages); the brand's name when unset. */
  branding: Branding.optional(),
  modules: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
}).superRefine((p, ctx) => {
  const known = new Set(p.purposes.map((x) => x.code));
  p.recipients.forEach((r, i) => {
    r.purposes.forEach((code, j) => {
      if (code === 'sale') ctx.addIssue({ code: 'custom', path: ['recipients', i, 'purposes', j], message: 'validation.profile.recipientSale' });
      else if (known.size && !known.has(code)) ctx.addIssue({ code: 'custom', path: ['recipients', i, 'purposes', j], message: 'validation.profile.purposeNotRegistered', params: { purpose: code } });
    });
  });
  p.purposes.forEach((x, i) => {
    if (x.code === 'sale') ctx.addIssue({ code: 'custom', path: ['purposes', i, 'code'], message: 'validation.profile.purposeSale' });
  });
});
export type PrivacyProfile = z.infer<typeof PrivacyProfile>;

/** A brand's stored, partial profile: any subset of the full document. */
export const PartialProfile = z.record(z.string(), z.unknown());
export type PartialProfile = Record<string, unknown>;
