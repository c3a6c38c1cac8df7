/** The platform's inputs, validated at its edge: every lifecycle function parses its arguments with these. */
import { z } from 'zod';
import { validationError, zodIssues } from '../../core/errors';

const text = (max: number) => z.string({ invalid_type_error: 'validation.type.string' }).trim().max(max);
const country = z.string().trim().regex(/^[A-Za-z]{2}$/, 'validation.format.country').transform((s) => s.toUpperCase());

/** The personal fields of a client or contact, as the sign-up form takes them. */
export const PersonalDetails = z.object({
  firstname: text(100).min(1, 'validation.platform.firstnameRequired'),
  lastname: text(100).min(1, 'validation.platform.lastnameRequired'),
  companyname: text(190).optional(),
  email: z.string().trim().email('validation.format.email').max(254),
  address1: text(190).optional(),
  address2: text(190).optional(),
  city: text(100).optional(),
  state: text(100).optional(),
  postcode: text(16).optional(),
  country: country.optional(),
  phonenumber: text(40).regex(/^\+?[0-9 .()-]{4,40}$/, 'expected a phone number').optional(),
  language: text(16).optional(),
  tax_id: text(64).optional(),
});
export type PersonalDetails = z.infer<typeof PersonalDetails>;

/** A policy version as the page showed it (MS-2 / SP-3); the consent module refuses one that does not exist. */
const shownVersion = text(32).min(1).optional();

/** The policy versions the form showed: terms beside the terms checkbox, privacy policy beside a marketing choice. */
export const ShownVersions = z.object({ terms_version_shown: shownVersion, privacy_version_shown: shownVersion });
export type ShownVersions = z.infer<typeof ShownVersions>;

/** A sign-up: personal details plus the password (hashed with scrypt, never stored or logged in clear), and the consents given. */
export const SignUpInput = PersonalDetails.extend({
  password: z.string().min(8, 'validation.platform.passwordLength').max(1024),
  marketing_emails_opt_in: z.boolean().optional(),
  accepttos: z.boolean().optional(),
}).merge(ShownVersions);
export type SignUpInput = z.infer<typeof SignUpInput>;

/** A change to a client's details: any subset of the personal fields. */
export const ClientUpdate = PersonalDetails.partial().refine((v) => Object.keys(v).length > 0, { message: 'validation.platform.nothingToChange' });
export type ClientUpdate = z.infer<typeof ClientUpdate>;

/** A newsletter sign-up from the client area: the channels (email by default) and the privacy policy version shown. */
export const NewsletterInput = z.object({
  channels: z.array(z.enum(['email', 'sms', 'phone'])).min(1).max(3).default(['email']),
  privacy_version_shown: shownVersion,
}).strict();
export type NewsletterInput = z.input<typeof NewsletterInput>;

/** A third party who pays an invoice on a client's behalf (ESM-2). */
export const PayerDetails = z.object({
  firstname: text(100).min(1, 'validation.platform.firstnameRequired'),
  lastname: text(100).min(1, 'validation.platform.lastnameRequired'),
  companyname: text(190).optional(),
  email: z.string().trim().email('validation.format.email').max(254),
  country: country.optional(),
});
export type PayerDetails = z.infer<typeof PayerDetails>;

const domainName = z.string().trim().toLowerCase().max(253).regex(/^(?=.{1,253}$)([a-z0-9](-*[a-z0-9])*\.)+[a-z]{2,63}$/, 'expected a domain name such as example.org');
const amount = z.number({ invalid_type_error: 'validation.type.amount' }).nonnegative().max(1_000_000);

/** One cart item: a hosting product (optionally on a domain) or a domain registration. */
export const OrderItem = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hosting'), product: text(120).min(1), domain: domainName.optional(), amount }),
  z.object({ type: z.literal('domain'), name: domainName, regperiod: z.number().int().min(1).max(10).default(1), idprotection: z.boolean().default(false), amount }),
]);
export type OrderItem = z.infer<typeof OrderItem>;

/** The cart: at least one item. */
export const OrderItems = z.array(OrderItem).min(1, 'validation.platform.cartEmpty').max(50);

/** Request facts of a lifecycle call (where it came from); the brand comes from the record. */
export const CallFacts = z.object({
  ip: z.string().max(64).optional(),
  userAgent: z.string().max(512).optional(),
  gpc: z.boolean().optional(),
  locale: z.string().max(16).optional(),
  actor: z.string().max(80).optional(),
}).default({});
export type CallFacts = z.input<typeof CallFacts>;

/** An abuse complaint against a service (ESM-4). */
export const AbuseReport = z.object({
  category: z.enum(['spam', 'phishing', 'malware', 'copyright', 'other']).default('spam'),
  source: z.string().max(190).optional(),
  reference: z.string().max(190).optional(),
  suspend: z.boolean().optional(),
});
export type AbuseReport = z.input<typeof AbuseReport>;

/** A positive integer id. */
export const Id = z.number({ invalid_type_error: 'validation.type.id' }).int().positive();

/** Parses `raw` with `schema`, or throws SUITE_VALIDATION_FAILED naming each field under `prefix`. */
export function parse<S extends z.ZodTypeAny>(schema: S, raw: unknown, prefix: string): z.output<S> {
  const r = schema.safeParse(raw);
  if (!r.success) throw validationError(zodIssues(r.error.issues, prefix));
  return r.data as z.output<S>;
}
