/**
 * The new values a rectification may write (MS-8e), checked field by field before anything is written: names and
 * email cannot be blanked, the country is an ISO 3166-1 alpha-2 code, the phone number looks like one. Values are
 * trimmed and the country upper-cased, so every module receives the same normalised change.
 */
import { z } from 'zod';
import { validationError, zodIssues, fieldIssue } from '../../../core/errors';

const text = (max: number) => z.string({ invalid_type_error: 'validation.type.string' }).trim().max(max, 'validation.input.maxLength');
const required = (max: number) => text(max).min(1, 'validation.rights.correctedValueRequired');

/** Region codes Intl knows that are not countries a registry or invoice accepts. */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'ZZ', 'UK', 'QO']);
const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** True for an assigned ISO 3166-1 alpha-2 code (upper case). */
export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || NOT_COUNTRIES.has(code)) return false;
  try {
    return regions.of(code) !== undefined;
  } catch {
    return false;
  }
}

const country = z.string({ invalid_type_error: 'validation.type.string' }).trim().transform((s) => s.toUpperCase())
  .refine(isCountryCode, { message: 'validation.rights.countryCode' });

/** Field → corrected value; every field optional, unknown fields refused. */
export const RectifyChanges = z.object({
  firstname: required(100),
  lastname: required(100),
  companyname: text(190),
  email: z.string({ invalid_type_error: 'validation.type.string' }).trim().email('validation.format.email').max(254),
  phonenumber: text(40).regex(/^\+?[0-9 .()-]{4,40}$/, 'a phone number, e.g. +44 20 7946 0018'),
  address1: text(190),
  address2: text(190),
  city: text(100),
  state: text(100),
  postcode: text(16),
  country,
  tax_id: text(64),
}).partial().strict();
export type RectifyChanges = z.infer<typeof RectifyChanges>;

/** The normalised changes, or SUITE_VALIDATION_FAILED naming each bad field as `changes.<field>`; at least one field. */
export function parseChanges(raw: unknown): Record<string, string> {
  const r = RectifyChanges.safeParse(raw ?? {});
  if (!r.success) throw validationError(zodIssues(r.error.issues, 'changes'));
  const out = Object.fromEntries(Object.entries(r.data).filter(([, v]) => v !== undefined)) as Record<string, string>;
  if (!Object.keys(out).length) throw validationError([fieldIssue('changes', 'validation.rights.changesRequired')]);
  return out;
}
