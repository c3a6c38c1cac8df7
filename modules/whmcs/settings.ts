/** Per-brand settings of the WHMCS write-back (profile `modules.whmcs`), and the API secret, which comes from the environment. */
import { z } from 'zod';

export const WhmcsSettings = z.object({
  /** Write erasures and rectifications back into this brand's WHMCS. */
  enabled: z.boolean().default(false),
  /** The WHMCS base URL (the API is `<apiUrl>/includes/api.php`). */
  apiUrl: z.string().url().refine((u) => /^https?:\/\//.test(u), 'http(s) URL').optional(),
  /** The API credential's identifier (WHMCS: Setup → Staff → Manage API Credentials); its secret is never in the profile. */
  identifier: z.string().min(1).max(200).optional(),
  /** The recipient (in the profile's register) and purpose each write-back is logged under as a disclosure. */
  recipient: z.string().default('whmcs'),
  purpose: z.string().default('legal'),
  /** Seconds one API call may take. */
  timeoutSeconds: z.number().int().min(1).max(120).default(20),
  /** How long after its own UpdateClient the suite treats the matching ClientEdit as its echo. */
  echoSeconds: z.number().int().min(10).max(3600).default(600),
}).passthrough();
export type WhmcsSettings = z.infer<typeof WhmcsSettings>;

/** Whether the brand writes back: switched on, with a URL and an identifier. */
export function writesBack(s: WhmcsSettings): s is WhmcsSettings & { apiUrl: string; identifier: string } {
  return s.enabled && Boolean(s.apiUrl) && Boolean(s.identifier);
}

/** The environment variables that may hold a brand's API secret, the brand's own first. */
export function secretVariables(slug: string): [string, string] {
  return [`SUITE_WHMCS_API_SECRET_${slug.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`, 'SUITE_WHMCS_API_SECRET'];
}

/** The brand's API secret; throws naming the variables when neither is set (the deliverer does not start without it). */
export function apiSecret(slug: string, env: NodeJS.ProcessEnv = process.env): string {
  const [own, shared] = secretVariables(slug);
  const secret = env[own] || env[shared];
  if (!secret) throw new Error(`WHMCS API secret missing: set ${own} (or ${shared}) in the suite's environment`);
  return secret;
}
