/**
 * POST /api/v1/connector/sso-link `{brand, userid}`, signed with the brand's hook secret like the hook API: the WHMCS
 * connector's client-area "Privacy" page asks for a single-sign-on link to the brand's privacy center for the
 * logged-in client. Answers `{ok, url, expiresAt}`: the suite's own `/b/:brand/privacy/sso?client=&exp=&sig=` link
 * (sso-link.ts), valid two minutes and once. A client the suite does not know (or erased) is 404.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { SuiteError, validationError, zodIssues } from '../../../core/errors';
import { asyncRoute } from '../../../core/http/respond';
import { requireSignedBody } from '../../../core/http/signed-request';
import type { Kernel } from '../../../core/kernel';
import { publicBaseUrl } from '../../../core/links/public-url';
import { wInt } from '../../../hooks/catalogue/whmcs-types';
import { ssoSignature } from './sso-link';

/** How long a link from this endpoint lives, in seconds (the privacy center accepts at most SSO_MAX_LIFETIME_S). */
export const SSO_ENDPOINT_LIFETIME_S = 120;

const Body = z.object({ brand: z.string().min(1), userid: wInt.refine((n) => n > 0, 'validation.type.integer') });

/** Mounts the endpoint on the module's root router. */
export function ssoLinkEndpoint(router: Router, kernel: Kernel): void {
  router.post('/api/v1/connector/sso-link', ...requireSignedBody(kernel, 'connector.sso-link'), asyncRoute(async (req, res) => {
    const parsed = Body.safeParse(req.signedBody);
    if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
    const brand = req.brand!;
    const client = String(parsed.data.userid);
    const subject = await kernel.subjects.findByExternal(brand.id, 'client', client);
    if (!subject || subject.status === 'erased') throw new SuiteError('SUITE_NOT_FOUND', { what: 'client', id: client });
    const [secret] = await kernel.brands.hookSecrets(brand);
    const exp = String(Math.floor(Date.now() / 1000) + SSO_ENDPOINT_LIFETIME_S);
    const base = publicBaseUrl(kernel, await kernel.brands.profile(brand));
    const url = `${base}/b/${encodeURIComponent(brand.slug)}/privacy/sso?client=${client}&exp=${exp}&sig=${ssoSignature(secret, brand.slug, client, exp)}`;
    res.set('Cache-Control', 'no-store').json({ ok: true, url, expiresAt: Number(exp) });
  }));
}
