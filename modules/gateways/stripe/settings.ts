/**
 * Per-brand settings of the Stripe gateway (profile `modules['gateways/stripe']`): the kit's common ones plus the names
 * of the variables holding the secret key and the webhook signing secret, whether cards are saved for later, and —
 * for tests only — a local server to talk to instead of api.stripe.com.
 */
import { z } from 'zod';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { moduleSettings } from '../../../core/profile/module-settings';
import { gatewayError } from '../kit/errors';
import { EnvName, GatewayBaseSettings, secretFromEnv } from '../kit/settings';

export const MODULE = 'gateways/stripe';

export const StripeSettings = GatewayBaseSettings.extend({
  recipient: z.string().min(1).max(64).default('stripe'),
  /** The variable holding the secret key (`sk_test_…` / `rk_test_…` in test mode, `sk_live_…` / `rk_live_…` in live mode). */
  secretKeyVar: EnvName.default('SUITE_STRIPE_SECRET_KEY'),
  /** The variable holding the webhook endpoint's signing secret (`whsec_…`). */
  webhookSecretVar: EnvName.default('SUITE_STRIPE_WEBHOOK_SECRET'),
  /** false: no Stripe customer is created; true: Checkout creates one (or reuses the subject's) and saves the card for later. */
  saveCards: z.boolean().default(false),
  /** The SDK's own retries of a failed call (same idempotency key); the outbox retries beyond that. */
  networkRetries: z.number().int().min(0).max(5).default(2),
  /** Only for pointing the SDK at a local stand-in (tests): never set in production, where api.stripe.com is used. */
  host: z.string().min(1).max(253).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  protocol: z.enum(['http', 'https']).optional(),
});
export type StripeSettings = z.infer<typeof StripeSettings>;

/** The brand's Stripe settings from its effective profile. */
export const stripeSettings = (profile: PrivacyProfile): StripeSettings => moduleSettings(StripeSettings, profile, MODULE);

/** A setting's path as errors name it. */
export const field = (name: keyof StripeSettings): string => `modules.${MODULE}.${name}`;

/**
 * The secret key, checked against the brand's mode: a live key in test mode (or a test key in live mode) is refused
 * naming the setting and its variable, never the value.
 */
export function secretKey(s: StripeSettings, env: NodeJS.ProcessEnv = process.env): string {
  const key = secretFromEnv('stripe', field('secretKeyVar'), s.secretKeyVar, env);
  const mode = /^(sk|rk)_(test|live)_/.exec(key)?.[2];
  if (mode !== s.mode) throw gatewayError('stripe', 'NOT_CONFIGURED', { field: field('secretKeyVar'), variable: s.secretKeyVar, mode: s.mode });
  return key;
}

/** The webhook signing secret. */
export const webhookSecret = (s: StripeSettings, env: NodeJS.ProcessEnv = process.env): string =>
  secretFromEnv('stripe', field('webhookSecretVar'), s.webhookSecretVar, env);

/** Refuses a brand whose gateway is switched off in its settings. */
export function requireEnabled(s: StripeSettings): void {
  if (!s.enabled) throw gatewayError('stripe', 'NOT_CONFIGURED', { field: field('enabled'), variable: '-' });
}
