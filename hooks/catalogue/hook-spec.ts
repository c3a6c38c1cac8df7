/** How one hook is described in the catalogue: its WHMCS variables, the connector's additions, kind and answer convention. */
import { z } from 'zod';

/**
 * pre: handlers run in priority order inside the transaction and may veto or change.
 * after: handlers run after commit; their errors are logged and shown to admins, never returned to the caller.
 */
export type HookKind = 'pre' | 'after';

/** What a hook may answer, following WHMCS's return conventions. */
export type AnswerKind = 'none' | 'errors' | 'abort' | 'abortsend';

/** A variable the WHMCS connector adds to what WHMCS passes the hook, and where the connector takes it from. */
export interface ConnectorAddition { name: string; from: string }

export interface HookSpec<S extends z.ZodTypeAny = z.ZodTypeAny> {
  kind: HookKind;
  answer: AnswerKind;
  /** The WHMCS group (client, shopping-cart, domain, …) or 'suite' for suite-only hooks. */
  group: string;
  description: string;
  /** Everything the hook accepts: WHMCS's documented variables plus the connector's additions. */
  vars: S;
  /** WHMCS's documented variables, by the names spec/whmcs/hooks.json gives them (absent for suite-only hooks). */
  whmcsVars?: readonly string[];
  /** What the connector adds because WHMCS does not pass it but a promise needs it. */
  connector?: readonly ConnectorAddition[];
}

/** Declares a hook spec with its variable schema kept as a literal type (suite-only hooks). */
export function hookSpec<S extends z.ZodTypeAny>(spec: HookSpec<S>): HookSpec<S> {
  return spec;
}

/** A connector addition: its schema and where the connector takes the value from. */
export interface Added<T extends z.ZodTypeAny> { schema: T; from: string }

/** Declares a connector addition. */
export function added<T extends z.ZodTypeAny>(schema: T, from: string): Added<T> {
  return { schema, from };
}

type Schemas<C extends Record<string, Added<z.ZodTypeAny>>> = { [K in keyof C]: C[K]['schema'] };

/**
 * Declares a WHMCS hook: `whmcs` holds exactly the variables WHMCS documents for it (same names), `connector` what the
 * connector adds (each with where it comes from). `vars` accepts both; the two lists are kept for the hook listing.
 */
export function whmcsHook<W extends z.ZodRawShape, C extends Record<string, Added<z.ZodTypeAny>> = Record<never, never>>(spec: {
  kind: HookKind; answer: AnswerKind; group: string; description: string; whmcs: W; connector?: C;
}): HookSpec<z.ZodObject<W & Schemas<C>>> {
  const additions = Object.entries(spec.connector ?? {}) as [string, Added<z.ZodTypeAny>][];
  const shape = { ...spec.whmcs, ...Object.fromEntries(additions.map(([k, a]) => [k, a.schema])) } as W & Schemas<C>;
  return {
    kind: spec.kind, answer: spec.answer, group: spec.group, description: spec.description,
    vars: z.object(shape),
    whmcsVars: Object.keys(spec.whmcs),
    connector: additions.map(([name, a]) => ({ name, from: a.from })),
  };
}
