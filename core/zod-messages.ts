/**
 * zod's own messages ("Required", "Expected string, received number", …) as lang keys, so a field error answers in
 * the caller's language. Only an issue that still carries zod's default message is mapped: a schema's own message
 * (a `validation.*` key) is left to the schema.
 */
import { z } from 'zod';

type Params = Record<string, string | number>;
export interface ZodMessageKey { key: string; params: Params }

/** Joins a list for a message: 'a', 'b', 'c'. */
const list = (xs: unknown[]): string => xs.map((x) => `'${String(x)}'`).join(', ');

function keyOf(i: z.ZodIssue): ZodMessageKey | undefined {
  switch (i.code) {
    case 'invalid_type':
      return i.received === 'undefined' ? { key: 'validation.zod.required', params: {} } : { key: 'validation.zod.invalidType', params: { expected: i.expected, received: i.received } };
    case 'too_small': {
      const n = Number(i.minimum);
      if (i.type === 'string') return { key: 'validation.zod.stringTooShort', params: { minimum: n } };
      if (i.type === 'array' || i.type === 'set') return { key: 'validation.zod.tooFewItems', params: { minimum: n } };
      return { key: i.inclusive ? 'validation.zod.numberMin' : 'validation.zod.numberAbove', params: { minimum: n } };
    }
    case 'too_big': {
      const n = Number(i.maximum);
      if (i.type === 'string') return { key: 'validation.zod.stringTooLong', params: { maximum: n } };
      if (i.type === 'array' || i.type === 'set') return { key: 'validation.zod.tooManyItems', params: { maximum: n } };
      return { key: i.inclusive ? 'validation.zod.numberMax' : 'validation.zod.numberBelow', params: { maximum: n } };
    }
    case 'invalid_string':
      return { key: 'validation.zod.invalidFormat', params: { format: typeof i.validation === 'string' ? i.validation : 'text' } };
    case 'invalid_enum_value':
      return { key: 'validation.zod.invalidOption', params: { options: list(i.options) } };
    case 'unrecognized_keys':
      return { key: 'validation.zod.unknownKeys', params: { keys: list(i.keys) } };
    case 'invalid_date':
      return { key: 'validation.zod.invalidDate', params: {} };
    case 'not_multiple_of':
      return { key: 'validation.zod.notMultipleOf', params: { multipleOf: Number(i.multipleOf) } };
    case 'invalid_literal': case 'invalid_union': case 'invalid_union_discriminator':
      return { key: 'validation.zod.invalidValue', params: {} };
    default:
      return undefined;
  }
}

/** The lang key for a zod issue that carries zod's default message, or undefined (a custom message, or an unknown code). */
export function zodMessageKey(issue: { message: string; code?: string }): ZodMessageKey | undefined {
  if (!issue.code) return undefined;
  const i = issue as z.ZodIssue;
  if (z.defaultErrorMap(i, { defaultError: i.message, data: undefined }).message !== i.message) return undefined;
  return keyOf(i);
}
