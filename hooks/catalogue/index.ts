/** The hook catalogue: every hook the suite knows, by its WHMCS name. Registering any other name fails at start-up. */
import type { z } from 'zod';
import { clientHooks } from './client-hooks';
import { orderHooks } from './order-hooks';
import { domainHooks } from './domain-hooks';
import { otherHooks } from './other-hooks';
import { ticketHooks } from './ticket-hooks';
import type { HookSpec } from './hook-spec';

export const HOOKS = { ...clientHooks, ...orderHooks, ...domainHooks, ...otherHooks, ...ticketHooks };

/** A known hook name. */
export type HookName = keyof typeof HOOKS;
/** The validated variables of a hook, typed from its name. */
export type HookVars<H extends HookName> = z.output<(typeof HOOKS)[H]['vars']>;

/** Whether `name` is in the catalogue. */
export function isHookName(name: string): name is HookName {
  return Object.prototype.hasOwnProperty.call(HOOKS, name);
}

/** The spec of a known hook. */
export function hookSpecOf(name: HookName): HookSpec {
  return HOOKS[name] as HookSpec;
}

export type { HookSpec, HookKind, AnswerKind } from './hook-spec';
