/** Shared set-up for the privacy center's request tests: the panel's signed link and a cookie-jar client that opens the center with it. */
import { ssoSignature } from '../../../modules/consent/privacy-center/sso-link';
import { PanelClient } from '../../helpers/admin-browser';

let fresh = 0;

/** The panel's signed single-sign-on path for a client (a new single-use signature each time). */
export function ssoPath(slug: string, secret: string, clientId: number | string): string {
  const exp = String(Math.floor(Date.now() / 1000) + 100 + fresh++);
  return `/b/${slug}/privacy/sso?client=${clientId}&exp=${exp}&sig=${ssoSignature(secret, slug, String(clientId), exp)}`;
}

/** A client whose cookie jar holds a privacy center session opened by the signed link. */
export async function centerClient(baseUrl: string, slug: string, secret: string, clientId: number, headers: Record<string, string> = {}): Promise<PanelClient> {
  const c = new PanelClient(baseUrl, headers);
  const res = await c.get(ssoPath(slug, secret, clientId));
  if (res.status !== 303) throw new Error(`the signed link answered ${res.status}`);
  return c;
}
