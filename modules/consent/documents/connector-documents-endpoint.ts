/**
 * POST /api/v1/connector/documents `{brand, locale?}`, signed with the brand's hook secret like the hook API: the WHMCS
 * connector asks which terms and privacy versions are in force, to name them in the checkout and registration forms
 * (`terms_version_shown` / `privacy_version_shown`, MS-2). Answers
 * `{ok, language, fallback, documents: {terms, privacy}, locales: {<locale>: {terms, privacy}}}`, each
 * `{version, language, url}` or null. A hook call's locale is the context's `locale` resolved to a shipped locale
 * (else `fallback`, 'en'); `locales` answers every shipped locale, `documents` the asked one; `transactional` the
 * e-mail templates the brand classes transactional (MS-7.2), which the connector lets through while the suite is
 * unreachable (every other template is held back then: an unknown template is marketing). A locale is shown its own
 * language where the brand has the kind in it, else the brand's `language` — the rule the suite binds a named version
 * by (capture/shown-version.ts), so a version the connector names is always one the suite knows. Where that language
 * has no version in force yet, the answer is null and the page names none (the suite then binds the version in force).
 */
import type { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { validationError, zodIssues } from '../../../core/errors';
import { asyncRoute } from '../../../core/http/respond';
import { availableLocales, resolveLocale } from '../../../core/i18n';
import { requireSignedBody } from '../../../core/http/signed-request';
import type { Kernel } from '../../../core/kernel';
import { publicBaseUrl } from '../../../core/links/public-url';
import { listClasses } from '../messages/template-class';
import { documentInForce } from './current-document';

const KINDS = ['terms', 'privacy'] as const;
type Kind = (typeof KINDS)[number];

/** One document as the connector is told it: the version, its language, and where the public can read it (privacy only). */
export interface ConnectorDocument { version: string; language: string; url: string | null }
export type ConnectorDocuments = Record<Kind, ConnectorDocument | null>;

const Body = z.object({ brand: z.string().min(1), locale: z.string().max(35).optional() }).passthrough();

/** The versions in force a person in `locale` is shown. */
async function documentsFor(db: Knex, brandId: number, locale: string, fallback: string, have: Record<Kind, Set<string>>, policyUrl: string, now: number): Promise<ConnectorDocuments> {
  const out = {} as ConnectorDocuments;
  for (const kind of KINDS) {
    const language = have[kind].has(locale) ? locale : fallback;
    const doc = await documentInForce(db, brandId, kind, language, language, now);
    out[kind] = doc ? { version: doc.version, language: doc.language, url: kind === 'privacy' ? `${policyUrl}?lang=${encodeURIComponent(doc.language)}` : null } : null;
  }
  return out;
}

/** Mounts the endpoint on the module's root router. */
export function connectorDocumentsEndpoint(router: Router, kernel: Kernel): void {
  router.post('/api/v1/connector/documents', ...requireSignedBody(kernel, 'connector.documents'), asyncRoute(async (req, res) => {
    const parsed = Body.safeParse(req.signedBody);
    if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
    const brand = req.brand!;
    const profile = await kernel.brands.profile(brand);
    const fallback = profile.locale;
    const rows = (await kernel.db('consent_documents').where({ brand_id: brand.id }).whereIn('kind', KINDS).distinct('kind', 'language')) as { kind: Kind; language: string }[];
    const have: Record<Kind, Set<string>> = { terms: new Set(), privacy: new Set() };
    for (const r of rows) have[r.kind].add(r.language);
    const policyUrl = `${publicBaseUrl(kernel, profile)}/b/${encodeURIComponent(brand.slug)}/policy`;
    const now = Date.now();
    const locales: Record<string, ConnectorDocuments> = {};
    for (const locale of availableLocales().sort()) {
      locales[locale] = await documentsFor(kernel.db, brand.id, locale, fallback, have, policyUrl, now);
    }
    const documents = await documentsFor(kernel.db, brand.id, resolveLocale(parsed.data.locale), fallback, have, policyUrl, now);
    const transactional = (await listClasses(kernel.db, brand)).filter((c) => c.class === 'transactional').map((c) => c.messagename);
    res.set('Cache-Control', 'no-store').json({ ok: true, language: fallback, fallback: resolveLocale(undefined), documents, locales, transactional });
  }));
}
