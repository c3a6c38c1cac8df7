/** The PayPal gateway's settings (profile `modules['gateways/paypal']`): the shared gateway settings plus PayPal's credential variables and webhook id. */
import { z } from 'zod';
import { EnvName, GatewayBaseSettings, secretFromEnv } from '../kit/settings';

export const PaypalSettings = GatewayBaseSettings.extend({
  recipient: z.string().min(1).max(64).default('paypal'),
  /** The environment variable holding the REST app's client id (never the id itself: the profile is not a secret store). */
  clientIdVar: EnvName.default('SUITE_PAYPAL_CLIENT_ID'),
  /** The environment variable holding the REST app's secret. */
  clientSecretVar: EnvName.default('SUITE_PAYPAL_CLIENT_SECRET'),
  /** The id PayPal gives the registered webhook (not a secret): it is part of the string PayPal signs, so a webhook of another app never verifies. */
  webhookId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'the webhook id PayPal shows, such as 8PT597110X687430LKGECATA').optional(),
  /** Ask PayPal to vault the payer's wallet (a vault token kept as `payment-token`); off unless the brand charges saved wallets. */
  vault: z.boolean().default(false),
});
export type PaypalSettings = z.infer<typeof PaypalSettings>;

/** The settings' path as errors name it. */
export const SETTINGS_PATH = 'modules.gateways/paypal';

/** The REST app's credentials from the environment; refuses naming the setting and variable (never a value). */
export function credentials(s: PaypalSettings, env: NodeJS.ProcessEnv = process.env): { clientId: string; clientSecret: string } {
  return {
    clientId: secretFromEnv('paypal', `${SETTINGS_PATH}.clientIdVar`, s.clientIdVar, env),
    clientSecret: secretFromEnv('paypal', `${SETTINGS_PATH}.clientSecretVar`, s.clientSecretVar, env),
  };
}
