/**
 * The published privacy policy: GET /b/:brand/policy (the version in force; `?version=<n>` an archived one; `?lang=`,
 * else Accept-Language, else the brand's locale) and the admin's POST …/modules/consent/policy/publish.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { assertCanWrite } from '../../../core/apikeys/api-keys';
import { actorOf } from '../../../core/http/admin-auth';
import { rateLimit } from '../../../core/http/rate-limit';
import { asyncRoute } from '../../../core/http/respond';
import { parseInput } from '../../../core/http/route-input';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import { pageLocale, sendPage } from '../../../core/pages';
import { policySettings } from './policy-settings';
import { policyView, type PolicyView } from './policy-view';
import { archivedView, privacyVersions, publishPolicy } from './publish-policy';
import { policyPage, type PolicyEdition } from './render-policy';

const Query = z.object({ version: z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, 'validation.consent.policyVersion').optional() }).passthrough();

/** Root route: the brand's policy page (404 for an unknown brand, a brand with consent switched off, or an unknown version). */
export function policyRootRoutes(r: Router, kernel: Kernel): void {
  // Open to the web and read by crawlers: 120 a minute per IP, counted across instances.
  const limit = rateLimit(kernel, { name: 'consent-policy-page', max: 120, windowMs: 60_000 });
  r.get('/b/:brand/policy', limit, asyncRoute(async (req, res) => {
    const brand = await kernel.brands.get(req.params.brand);
    if (!(await kernel.modules.enabledFor(kernel.brands, brand, 'consent'))) throw new SuiteError('SUITE_MODULE_DISABLED', { module: 'consent', brand: brand.slug });
    const { version } = parseInput(Query, req.query);
    const profile = await kernel.brands.profile(brand);
    const locale = pageLocale(req, profile.locale);
    const now = Date.now();
    let versions = await privacyVersions(kernel.db, brand.id, locale);
    if (!versions.length) versions = await privacyVersions(kernel.db, brand.id, profile.locale);
    const generated = versions.filter((d) => d.generated);
    const inForce = generated.filter((d) => d.effectiveAt <= now).sort((a, b) => b.effectiveAt - a.effectiveAt || b.id - a.id)[0];
    const shown = version === undefined ? inForce : generated.find((d) => d.version === version);
    if (version !== undefined && !shown) throw new SuiteError('SUITE_NOT_FOUND', { what: 'policy version', id: version });
    const upcoming = generated.filter((d) => d.effectiveAt > now).sort((a, b) => a.effectiveAt - b.effectiveAt)[0];
    const archived = shown ? await archivedView(kernel.db, shown.id) : null;
    if (shown && !archived) throw new SuiteError('SUITE_NOT_FOUND', { what: 'policy version', id: shown.version }); // a text no longer readable as a view
    const view: PolicyView = archived ? { ...archived, locale } : policyView(profile, await policySettings(kernel, brand, profile), locale);
    const edition: PolicyEdition = {
      version: shown?.version ?? null, effectiveAt: shown?.effectiveAt ?? null,
      archived: shown !== undefined && shown.effectiveAt <= now && inForce !== undefined && shown.id !== inForce.id,
      pending: shown !== undefined && shown.effectiveAt > now,
      upcoming: upcoming && upcoming.id !== shown?.id ? { version: upcoming.version, effectiveAt: upcoming.effectiveAt } : null,
      versions: generated.filter((d) => d.effectiveAt <= now || d.id === upcoming?.id)
        .map((d) => ({ version: d.version, effectiveAt: d.effectiveAt, material: d.material })),
    };
    sendPage(req, res, 200, policyPage(view, edition, locale, profile));
  }));
}

/** Admin: POST /policy/publish publishes the brand's current policy where it changed (audited through the document rules). */
export function policyAdminRoutes(router: Router, kernel: Kernel): void {
  router.post('/policy/publish', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const languages = await publishPolicy(kernel, req.brand!, actorOf(req), req.ip);
    res.status(languages.some((l) => l.published) ? 201 : 200).json({ ok: true, languages });
  }));
}
