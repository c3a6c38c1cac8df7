/** How one hook is described in the catalogue: its WHMCS variables, kind and answer convention. */
import type { z } from 'zod';

/**
 * pre: handlers run in priority order inside the transaction and may veto or change.
 * after: handlers run after commit; their errors are logged and shown to admins, never returned to the caller.
 */
export type HookKind = 'pre' | 'after';

/** What a hook may answer, following WHMCS's return conventions. */
export type AnswerKind = 'none' | 'errors' | 'abort' | 'abortsend';

export interface HookSpec<S extends z.ZodTypeAny = z.ZodTypeAny> {
  kind: HookKind;
  answer: AnswerKind;
  /** The WHMCS group (client, shopping-cart, domain, …) or 'suite' for suite-only hooks. */
  group: string;
  description: string;
  vars: S;
}

/** Declares a hook spec with its variable schema kept as a literal type. */
export function hookSpec<S extends z.ZodTypeAny>(spec: HookSpec<S>): HookSpec<S> {
  return spec;
}
