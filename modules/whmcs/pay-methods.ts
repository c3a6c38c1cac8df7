/**
 * A client's stored pay methods in WHMCS (GetPayMethods) and their removal (DeletePayMethod), for the gateway modules:
 * a card WHMCS's own gateway saved lives at the processor under a token WHMCS keeps (`remote_token`), so erasing the
 * person at the processor starts here. Only for brands that write back (modules.whmcs enabled, apiUrl, identifier).
 */
import type { Kernel } from '../../core/kernel';
import { moduleSettings } from '../../core/profile/module-settings';
import type { PrivacyProfile } from '../../core/profile/schema';
import { callWhmcs, WhmcsApiError, type WhmcsApi } from './api-client';
import { apiSecret, WhmcsSettings, writesBack } from './settings';

/** One pay method as WHMCS lists it: its id, the gateway module that saved it and that gateway's token (opaque here). */
export interface WhmcsPayMethod { id: number; gatewayName: string; remoteToken: string }

/** Whether the brand (by its effective profile) writes back to a WHMCS whose pay methods can be read. */
export function whmcsWritesBack(profile: PrivacyProfile): boolean {
  return writesBack(moduleSettings(WhmcsSettings, profile, 'whmcs'));
}

async function apiOf(kernel: Kernel, brandId: number): Promise<WhmcsApi> {
  const brand = await kernel.brands.getById(brandId);
  const s = moduleSettings(WhmcsSettings, await kernel.brands.profile(brand), 'whmcs');
  if (!writesBack(s)) throw new Error(`WHMCS write-back is not configured for brand ${brand.slug} (profile modules.whmcs: enabled, apiUrl, identifier)`);
  return { apiUrl: s.apiUrl, identifier: s.identifier, secret: apiSecret(brand.slug), timeoutMs: s.timeoutSeconds * 1000 };
}

/** The client's pay methods (GetPayMethods by clientid); throws a WhmcsApiError while WHMCS does not answer. */
export async function whmcsPayMethods(kernel: Kernel, brandId: number, clientId: number): Promise<WhmcsPayMethod[]> {
  const answer = await callWhmcs(await apiOf(kernel, brandId), 'GetPayMethods', { clientid: clientId });
  const rows = Array.isArray(answer.paymethods) ? (answer.paymethods as Record<string, unknown>[]) : [];
  return rows.map((r) => ({ id: Number(r.id), gatewayName: String(r.gateway_name ?? ''), remoteToken: String(r.remote_token ?? '') })).filter((m) => Number.isInteger(m.id) && m.id > 0);
}

/** Removes one pay method of the client (DeletePayMethod); one WHMCS no longer has counts as removed. */
export async function deleteWhmcsPayMethod(kernel: Kernel, brandId: number, clientId: number, payMethodId: number): Promise<void> {
  try {
    await callWhmcs(await apiOf(kernel, brandId), 'DeletePayMethod', { clientid: clientId, paymethodid: payMethodId });
  } catch (err) {
    if (!(err instanceof WhmcsApiError && err.refused && /not found|invalid pay ?method/i.test(err.whmcsMessage))) throw err;
  }
}
