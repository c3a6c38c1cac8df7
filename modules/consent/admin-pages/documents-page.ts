/**
 * The brand's policy documents, `…/consent/documents`: every version of terms, privacy, cookie policy and DPA per
 * language with its published and effective dates, whether it was a material change, and its state (in force,
 * waiting out the notice period, scheduled, superseded); generated privacy versions link to the public policy page.
 * Writers get "publish the policy now" (POST …/documents/publish-policy), the same `publishPolicy` as the admin API's
 * POST …/modules/consent/policy/publish, which audits each published version.
 */
import type { Router } from 'express';
import { actorOf } from '../../../core/http/admin-auth';
import { adminForm, assertAdminCanWrite, flashMessage, sendAdminPage } from '../../../core/http/admin-kit';
import { asyncRoute } from '../../../core/http/respond';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { pageLocale, requireCsrf } from '../../../core/pages';
import type { PolicyDocument } from '../documents/current-document';
import { listDocuments } from '../documents/publish-document';
import { privacyVersions, publishPolicy } from '../policy/publish-policy';
import { consentBase } from './ledger-page';

/** Each version's state at `now`: the newest effective version of its kind and language is in force. */
function stateOf(docs: PolicyDocument[], now: number): Map<number, 'in-force' | 'notice' | 'scheduled' | 'superseded'> {
  const out = new Map<number, 'in-force' | 'notice' | 'scheduled' | 'superseded'>();
  const inForce = new Map<string, PolicyDocument>();
  for (const d of docs) {
    if (d.effectiveAt > now) {
      out.set(d.id, d.material ? 'notice' : 'scheduled');
      continue;
    }
    const k = `${d.kind}/${d.language}`;
    const cur = inForce.get(k);
    if (!cur || d.effectiveAt > cur.effectiveAt || (d.effectiveAt === cur.effectiveAt && d.id > cur.id)) inForce.set(k, d);
  }
  const current = new Set([...inForce.values()].map((d) => d.id));
  for (const d of docs) if (!out.has(d.id)) out.set(d.id, current.has(d.id) ? 'in-force' : 'superseded');
  return out;
}

/** Mounts GET /documents and POST /documents/publish-policy. */
export function documentsPage(router: Router, kernel: Kernel): void {
  router.get('/documents', asyncRoute(async (req, res) => {
    const brand = req.brand!;
    const locale = pageLocale(req, 'en');
    const profile = await kernel.brands.profile(brand);
    const docs = await listDocuments(kernel.db, brand.id);
    const now = Date.now();
    const states = stateOf(docs, now);
    // Only generated privacy versions can be shown by the public policy page.
    const generated = new Set<number>();
    for (const language of new Set(docs.filter((d) => d.kind === 'privacy').map((d) => d.language))) {
      for (const v of await privacyVersions(kernel.db, brand.id, language)) if (v.generated) generated.add(v.id);
    }
    const rows = docs.map((d) => {
      const state = states.get(d.id)!;
      return {
        ...d, state, stateLabel: t(locale, `consent.admin.documents.states.${state}`), kindLabel: t(locale, `consent.admin.documents.kinds.${d.kind}`),
        materialLabel: t(locale, d.material ? 'consent.admin.documents.yes' : 'consent.admin.documents.no'),
        policyHref: generated.has(d.id) ? `/b/${encodeURIComponent(brand.slug)}/policy?${new URLSearchParams({ version: d.version, lang: d.language }).toString()}` : null,
      };
    });
    await sendAdminPage(kernel, req, res, 200, {
      page: 'admin/consent/documents', title: t(locale, 'consent.admin.documents.title'), brand,
      view: {
        base: consentBase(brand.slug), documents: rows, noticeDays: profile.policy.noticePeriodDays,
        flash: flashMessage(req, locale, { 'policy-published': 'consent.admin.documents.flash.published', 'policy-unchanged': 'consent.admin.documents.flash.unchanged' }),
      },
    });
  }));

  router.post('/documents/publish-policy', adminForm({ limit: '1kb', fields: 2 }), requireCsrf(kernel), asyncRoute(async (req, res) => {
    assertAdminCanWrite(req);
    const brand = req.brand!;
    const result = await publishPolicy(kernel, brand, actorOf(req), req.ip);
    const published = result.filter((l) => l.published).map((l) => `${l.language} ${l.published!.version}`).join(', ');
    const q: Record<string, string> = published ? { flash: 'policy-published', item: published.slice(0, 100) } : { flash: 'policy-unchanged' };
    res.redirect(303, `${consentBase(brand.slug)}/documents?${new URLSearchParams(q).toString()}`);
  }));
}
