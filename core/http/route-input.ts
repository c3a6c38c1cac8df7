/**
 * Route input helpers shared by the admin API and the modules' routes: parse with zod (400 naming the fields), and
 * the one strict reading of numbers in paths and query strings (ids, list limits and offsets).
 */
import type { z } from 'zod';
import { fieldIssue, validationError, zodIssues } from '../errors';

/** Parses a body or query value with `schema`; a failure is a 400 naming every failing field. */
export function parseInput<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw validationError(zodIssues(r.error.issues));
  return r.data as z.infer<T>;
}

/** Plain decimal digits without sign, exponent, fraction, hex prefix or leading zero (`Number()` takes all of those). */
const DIGITS = /^(0|[1-9][0-9]{0,15})$/;

/** A whole number from `min` to `max` written in plain digits; otherwise a 400 naming `field`. */
export function wholeNumber(raw: unknown, field: string, min: number, max: number): number {
  const n = typeof raw === 'string' && DIGITS.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw validationError([min === 1 && max === Number.MAX_SAFE_INTEGER ? fieldIssue(field, 'validation.input.id', { max }) : fieldIssue(field, 'validation.input.range', { min, max })]);
  }
  return n;
}

/** A record id from a route parameter: 1 … Number.MAX_SAFE_INTEGER in plain digits; otherwise a 400 naming `field`. */
export function idParam(raw: unknown, field = 'id'): number {
  return wholeNumber(raw, field, 1, Number.MAX_SAFE_INTEGER);
}

/** `?limit=`: absent gives `fallback`; otherwise 1 … `max` in plain digits (a 400 naming `limit` else). */
export function limitParam(raw: unknown, fallback: number, max: number): number {
  return raw === undefined ? fallback : wholeNumber(raw, 'limit', 1, max);
}
