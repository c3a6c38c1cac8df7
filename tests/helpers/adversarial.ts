/**
 * fast-check arbitraries for the property tests: values a zod schema accepts (so calls get deep), adversarial JSON
 * (so they get refused), path segments and query strings; and the run settings (FC_SEED, FC_RUNS) to reproduce a run.
 */
import fc from 'fast-check';
import type { z } from 'zod';
import type { Suite } from '../../core/suite';
import { changedTables, digestTables } from './db-digest';

/** fast-check settings: a fixed seed with FC_SEED=<n> (printed on failure), FC_RUNS scales the runs; no shrinking unless FC_SHRINK=1. */
export function fcParams(numRuns: number): fc.Parameters<unknown> {
  const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
  const scale = process.env.FC_RUNS ? Number(process.env.FC_RUNS) / 100 : 1;
  return { numRuns: Math.max(1, Math.round(numRuns * scale)), seed, endOnFailure: !process.env.FC_SHRINK, verbose: 1 };
}

/** Strings that have broken parsers before: number look-alikes, escapes, control and bidi characters, lone surrogates, long text. */
export const nastyString = fc.oneof(
  fc.constantFrom('', ' ', '0', '-1', '0x1', '1e3', '1e309', '01', '+1', 'NaN', 'Infinity', 'null', 'true', '%', '%zz', '%E0%A4%A', '%00',
    '\u0000', '\ud800', '\udfff', '\u202e', '９', 'İ', 'ß', '..', '../..', '/', '\\', '<script>alert(1)</script>', "' OR 1=1 --", '{{constructor}}',
    '__proto__', 'constructor', 'a'.repeat(300), 'x'.repeat(70_000)),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ maxLength: 30 }),
);

/** Any JSON value a caller could send, with the nasty strings and numbers out of range. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.integer(),
  fc.constantFrom(-0, 0.5, -1, 1e20, 2 ** 53 + 2, -(2 ** 63), 8.64e15 + 1, Number.MAX_VALUE),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Email addresses of the everyday kind (fast-check's RFC-wide ones include forms the suite rightly refuses). */
export const emailAddress = fc.tuple(fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,15}$/), fc.constantFrom('example.org', 'example.com', 'mail.example.net')).map(([l, d]) => `${l}@${d}`);

type Def = { typeName?: string; [k: string]: unknown };
const defOf = (s: z.ZodTypeAny): Def => (s as unknown as { _def: Def })._def;

/**
 * Values `schema` is likely to accept (a regex, an email, an integer range …); with `noise`, mixed with adversarial
 * ones at every level (so most such objects are refused somewhere).
 */
export function accepted(schema: z.ZodTypeAny, depth = 0, noise = true): fc.Arbitrary<unknown> {
  const d = defOf(schema);
  const loose = (a: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> => (noise ? fc.oneof({ weight: 8, arbitrary: a }, { weight: 1, arbitrary: nastyValue }) : a);
  switch (d.typeName) {
    case 'ZodOptional': case 'ZodNullable': case 'ZodDefault': case 'ZodReadonly': case 'ZodCatch': case 'ZodBranded':
      return accepted((d.innerType ?? d.type) as z.ZodTypeAny, depth, noise);
    case 'ZodEffects': return accepted(d.schema as z.ZodTypeAny, depth, noise);
    case 'ZodPipeline': return accepted(d.in as z.ZodTypeAny, depth, noise);
    case 'ZodLazy': return depth > 2 ? nastyValue : accepted((d.getter as () => z.ZodTypeAny)(), depth + 1, noise);
    case 'ZodString': {
      const checks = (d.checks ?? []) as { kind: string; regex?: RegExp; value?: number }[];
      const max = checks.find((c) => c.kind === 'max')?.value ?? 60;
      if (checks.some((c) => c.kind === 'email')) return loose(emailAddress);
      if (checks.some((c) => c.kind === 'url')) return loose(fc.webUrl());
      if (checks.some((c) => c.kind === 'datetime')) return loose(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((x) => x.toISOString()));
      const rx = checks.find((c) => c.kind === 'regex')?.regex;
      if (rx) return loose(fc.stringMatching(rx).filter((x) => x.length <= Math.max(max, 1)));
      return loose(fc.string({ maxLength: Math.min(max, 60) }));
    }
    case 'ZodNumber': {
      const checks = (d.checks ?? []) as { kind: string; value?: number; inclusive?: boolean }[];
      const min = checks.find((c) => c.kind === 'min')?.value ?? -1000;
      const max = checks.find((c) => c.kind === 'max')?.value ?? 1_000_000;
      return loose(checks.some((c) => c.kind === 'int') ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true }));
    }
    case 'ZodBoolean': return loose(fc.boolean());
    case 'ZodLiteral': return loose(fc.constant(d.value));
    case 'ZodEnum': return loose(fc.constantFrom(...(d.values as string[])));
    case 'ZodNativeEnum': return loose(fc.constantFrom(...Object.values(d.values as object)));
    case 'ZodUnion': case 'ZodDiscriminatedUnion': {
      const options = (Array.isArray(d.options) ? d.options : [...(d.options as Map<unknown, z.ZodTypeAny>).values()]) as z.ZodTypeAny[];
      return fc.oneof(...options.map((o) => accepted(o, depth, noise)));
    }
    case 'ZodArray': return loose(fc.array(accepted(d.type as z.ZodTypeAny, depth + 1, noise), { maxLength: depth > 1 ? 2 : 4 }));
    case 'ZodRecord': return loose(fc.dictionary(fc.string({ maxLength: 12 }), accepted(d.valueType as z.ZodTypeAny, depth + 1, noise), { maxKeys: 4 }));
    case 'ZodObject': return loose(objectOf(schema, depth, noise));
    default: return nastyValue;
  }
}

/**
 * An object of the schema's keys. Without `noise`: its required keys and any of its optional ones, with values it
 * accepts; with `noise`: any subset, adversarial values anywhere, sometimes extra keys (health-named, secrets, __proto__).
 */
export function objectOf(schema: z.ZodTypeAny, depth = 0, noise = true): fc.Arbitrary<Record<string, unknown>> {
  let inner = schema;
  while (defOf(inner).typeName === 'ZodEffects') inner = defOf(inner).schema as z.ZodTypeAny;
  const shape = (inner as unknown as { shape?: Record<string, z.ZodTypeAny> }).shape ?? {};
  const model = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, depth > 2 ? nastyValue : accepted(v, depth + 1, noise)]));
  const requiredKeys = noise ? [] : Object.entries(shape).filter(([, v]) => !v.isOptional()).map(([k]) => k);
  const known = fc.record(model, { requiredKeys });
  if (!noise) return known;
  const extra = fc.dictionary(fc.oneof(fc.constantFrom('medical_condition', 'health', 'customfields', '__proto__', 'password', 'cccvv', 'x'), fc.string({ maxLength: 8 })), nastyValue, { maxKeys: 2 });
  return fc.tuple(known, fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: extra })).map(([k, more]) => ({ ...more, ...k }));
}

/** A record with some keys of `base` replaced by adversarial values or removed. */
export function mutated(base: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(base);
  return fc.array(fc.tuple(fc.constantFrom(...keys), fc.option(nastyValue, { nil: undefined })), { maxLength: 2 }).map((changes) => {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of changes) {
      if (v === undefined) delete out[k];
      else out[k] = v;
    }
    return out;
  });
}

/** A digest of the database, and the tables a refused call changed (none is the promise). */
export async function digest(suite: Suite): Promise<Record<string, string>> {
  return digestTables(suite.kernel.db);
}

/** Waits until background work started by an accepted call (a retention or erasure run) has stopped writing. */
export async function settled(suite: Suite, maxMs = 5_000): Promise<Record<string, string>> {
  const end = Date.now() + maxMs;
  let last = await digest(suite);
  for (;;) {
    await new Promise((r) => setTimeout(r, 30));
    const next = await digest(suite);
    if (changedTables(last, next).length === 0 || Date.now() > end) return next;
    last = next;
  }
}

export { changedTables };
