/**
 * Calls the connector addon's signed JSON endpoint inside WHMCS (docs/whmcs.md, "The addon's endpoint for the suite")
 * for what WHMCS's external API cannot reach: the marketing opt-in history (read, IPs blanked) and the email log
 * (deleted). Signed like the suite's hook API, in the other direction, with the brand's current hook secret.
 */
import { z } from 'zod';
import type { Brand } from '../../core/brands/brand';
import { signHook } from '../../core/http/signature';
import type { Kernel } from '../../core/kernel';
import { moduleSettings } from '../../core/profile/module-settings';
import { WhmcsApiError } from './api-client';
import { WhmcsSettings } from './settings';

/** Where the addon answers and how to sign for it. */
export interface AddonTarget { whmcsUrl: string; brandSlug: string; secret: string; timeoutMs: number }

export type AddonAction = 'consent-history' | 'erase-email-log' | 'anonymise-consent-history';

/** One row of WHMCS's marketing opt-in history (tblmarketing_consent), as the addon answers it. */
export const AddonConsentRow = z.object({
  id: z.number().int(),
  userid: z.number().int(),
  optin: z.boolean(),
  admin: z.boolean(),
  ip: z.string(),
  date: z.string(),
});
export type AddonConsentRow = z.infer<typeof AddonConsentRow>;

const HistoryPage = z.object({ totalresults: z.number().int().min(0), history: z.array(AddonConsentRow) });

/**
 * Resolves the brand's target: whmcsUrl = profile modules.whmcs.apiUrl, secret = the brand's current hook secret
 * (kernel.brands.hookSecrets(brand)[0]); throws an Error naming what is missing.
 */
export async function addonTarget(kernel: Kernel, brand: Brand): Promise<AddonTarget> {
  const settings = moduleSettings(WhmcsSettings, await kernel.brands.profile(brand), 'whmcs');
  if (!settings.apiUrl) throw new Error(`WHMCS addon endpoint not configured for brand ${brand.slug}: profile modules.whmcs.apiUrl is missing`);
  const [secret] = await kernel.brands.hookSecrets(brand);
  if (!secret) throw new Error(`WHMCS addon endpoint: brand ${brand.slug} has no hook secret`);
  return { whmcsUrl: settings.apiUrl, brandSlug: brand.slug, secret, timeoutMs: settings.timeoutSeconds * 1000 };
}

/**
 * One signed call; answers the JSON of a `result: success`. Throws a WhmcsApiError naming the action: `refused` for
 * the addon's `result: error`, not refused when it is unreachable, answers no JSON or refuses the signature (401).
 */
export async function callAddon(t: AddonTarget, action: AddonAction, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const raw = JSON.stringify({ brand: t.brandSlug, action, params });
  const timestamp = Math.floor(Date.now() / 1000);
  let res: Response;
  try {
    res = await fetch(`${t.whmcsUrl.replace(/\/+$/, '')}/modules/addons/privacysuite/endpoint.php`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-suite-timestamp': String(timestamp), 'x-suite-signature': signHook(t.secret, timestamp, raw) },
      body: raw,
      signal: AbortSignal.timeout(t.timeoutMs),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new WhmcsApiError(action, `addon unreachable (${cause})`, false);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  if (!json || typeof json !== 'object') throw new WhmcsApiError(action, `addon answered HTTP ${res.status}, no JSON`, false);
  const answer = json as Record<string, unknown>;
  if (res.status === 401) throw new WhmcsApiError(action, 'addon refused the signature (HTTP 401: check the brand and hook secret in its settings)', false);
  if (answer.result !== 'success') throw new WhmcsApiError(action, String(answer.message ?? `HTTP ${res.status}`).slice(0, 200), true);
  return answer;
}

/**
 * Every row of the opt-in history, one client's or (without userid) everyone's, ordered by id, fetched page by page
 * (the next page starts after the rows received, so a page the addon caps at 1000 skips nothing).
 */
export async function* consentHistory(t: AddonTarget, userid?: number, pageSize = 500): AsyncGenerator<AddonConsentRow> {
  for (let start = 0; ;) {
    const answer = await callAddon(t, 'consent-history', { ...(userid === undefined ? {} : { userid }), limitstart: start, limitnum: pageSize });
    const parsed = HistoryPage.safeParse(answer);
    if (!parsed.success) throw new WhmcsApiError('consent-history', `unexpected answer (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')})`, false);
    const { history, totalresults } = parsed.data;
    yield* history;
    start += history.length;
    if (!history.length || start >= totalresults) return;
  }
}
