/**
 * What every gateway's settings share (profile `modules['gateways/<name>']`): on or off, test or live mode, the
 * currency, the recipient and purpose its transfers are logged under, and the names of the environment variables that
 * hold its keys. Keys never sit in the profile and are never logged: the profile names a variable, the suite reads it.
 */
import { z } from 'zod';
import type { GatewayName } from './contract';
import { gatewayError } from './errors';

/** An environment variable's name (what a profile may hold instead of a key). */
export const EnvName = z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'an environment variable name such as SUITE_STRIPE_SECRET_KEY');

/** The settings every gateway has. */
export const GatewayBaseSettings = z.object({
  enabled: z.boolean().default(false),
  /** test: the processor's sandbox keys; live: real money. A key of the other mode is refused. */
  mode: z.enum(['test', 'live']).default('test'),
  /** ISO 4217, lower case on the wire for Stripe, upper case for PayPal. */
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'a three-letter ISO 4217 code').default('EUR'),
  /** The recipient (in the profile's register) and purpose every transfer to the processor is logged under. */
  recipient: z.string().min(1).max(64),
  purpose: z.string().min(1).max(64).default('billing'),
  /** Seconds one call to the processor may take. */
  timeoutSeconds: z.number().int().min(1).max(120).default(30),
});

/**
 * The value of the environment variable a setting names; refuses (naming the setting and the variable, never a value)
 * when it is not set. `field` is the setting's path, e.g. `modules.gateways/stripe.secretKeyVar`.
 */
export function secretFromEnv(g: GatewayName, field: string, variable: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[variable];
  if (!value) throw gatewayError(g, 'NOT_CONFIGURED', { field, variable });
  return value;
}

/** Whether each named variable is set (for the admin's settings view: names and set/unset, never values). */
export function variablesSet(vars: Record<string, string>, env: NodeJS.ProcessEnv = process.env): { setting: string; variable: string; set: boolean }[] {
  return Object.entries(vars).map(([setting, variable]) => ({ setting, variable, set: Boolean(env[variable]) }));
}
