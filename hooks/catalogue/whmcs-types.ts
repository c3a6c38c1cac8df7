/** zod types for WHMCS hook variables as PHP sends them (ints and bools may arrive as strings). */
import { z } from 'zod';

const strictInt = z.preprocess((v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v), z.number({ invalid_type_error: 'validation.type.integer' }).int());
/** An optional WHMCS int: PHP fills an absent one with '' (a new customer's clientId at checkout) or null; both mean absent. */
const optionalInt = z.preprocess((v) => (v === '' || v === null ? undefined : v), strictInt.optional());
/**
 * A WHMCS int: a number or a numeric string. Required, it is strict ('' is refused); `wInt.optional()` also takes ''
 * and null as absent, because that is how WHMCS passes an int it has no value for.
 */
export const wInt = Object.assign(strictInt, { optional: () => optionalInt }) as typeof strictInt;
/** A WHMCS float: a number or a numeric string. */
export const wFloat = z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v), z.number({ invalid_type_error: 'validation.type.number' }));
/** A WHMCS bool: true/false, 1/0, "1"/"0", "on"/"", "true"/"false", "yes"/"no". */
export const wBool = z.preprocess((v) => {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === '1' || v === 'on' || v === 'true' || v === 'yes') return true;
  if (v === 0 || v === '0' || v === '' || v === 'off' || v === 'false' || v === 'no' || v === null) return false;
  return v;
}, z.boolean({ invalid_type_error: 'validation.type.boolean' }));
/** A WHMCS string (numbers are accepted and turned into strings). */
export const wStr = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string({ invalid_type_error: 'validation.type.string' }).max(10_000));
/** An email address as WHMCS has already validated it. */
export const wEmail = z.string({ invalid_type_error: 'validation.type.emailAddress' }).trim().email('validation.format.email').max(254);
/** A WHMCS array (PHP arrays become JSON objects or arrays). */
export const wArray = z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]);

/** A policy version as the page showed it ("2026-03"); empty or null means the page named none. */
export const policyVersion = z.preprocess((v) => (v === '' || v === null ? undefined : typeof v === 'number' ? String(v) : v),
  z.string({ invalid_type_error: 'validation.type.policyVersion' }).trim().min(1).max(32).optional());

/** The contact fields WHMCS sends for clients and contacts. */
export const contactFields = {
  firstname: wStr.optional(),
  lastname: wStr.optional(),
  companyname: wStr.optional(),
  email: wEmail.optional(),
  address1: wStr.optional(),
  address2: wStr.optional(),
  city: wStr.optional(),
  state: wStr.optional(),
  postcode: wStr.optional(),
  country: z.string().trim().regex(/^[A-Za-z]{2}$/, 'validation.format.country').optional().or(z.literal('')),
  phonenumber: wStr.optional(),
  tax_id: wStr.optional(),
};
