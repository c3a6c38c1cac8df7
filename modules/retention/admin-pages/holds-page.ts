/**
 * The legal holds page: the brand's holds (what they keep, why, who placed them, since and until when, released or
 * not), a form to place one and a button to release one (writers). The list is read through RetentionService and
 * audited as the admin API's list is (`retention.holds.read`); the note is shown as the API shows it — it is meant
 * for a case number, never personal data. A form with bad input is shown again with each field's problem (400),
 * and nothing is written.
 */
import type { Request, Response, Router } from 'express';
import { SuiteError } from '../../../core/errors';
import { actorOf } from '../../../core/http/admin-auth';
import { adminForm, assertAdminCanWrite, flashMessage, formErrors, sendAdminPage } from '../../../core/http/admin-kit';
import { asyncRoute } from '../../../core/http/respond';
import { idParam, parseInput } from '../../../core/http/route-input';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { pageLocale, requireCsrf } from '../../../core/pages';
import { DataCategory } from '../../../core/profile/schema';
import { HoldInput, HoldReason, HoldScope, type Hold } from '../holds/hold-store';
import { actorNames, brandOf, pageUrl, retentionOf } from './page-common';

/** The place-a-hold form as typed (every field a string; absent fields are empty). */
type HoldForm = Record<'scope' | 'subjectId' | 'category' | 'reason' | 'note' | 'expiresAt', string>;
const FIELDS = ['scope', 'subjectId', 'category', 'reason', 'note', 'expiresAt'] as const;

/** The form's fields as strings (a repeated or missing field reads as empty). */
function formOf(body: unknown): HoldForm {
  const b = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(FIELDS.map((f) => [f, typeof b[f] === 'string' ? b[f] : ''])) as HoldForm;
}

/**
 * The form as the module's HoldInput: empty fields left out, the subject id as a number when it is one, and the
 * "until" day as its last millisecond in UTC (anything else is passed on as typed, so HoldInput names the field).
 */
function inputOf(f: HoldForm): Record<string, unknown> {
  const v = (s: string): string | undefined => (s.trim() === '' ? undefined : s.trim());
  const subject = v(f.subjectId);
  const until = v(f.expiresAt);
  return {
    scope: v(f.scope), reason: v(f.reason), category: v(f.category), note: v(f.note),
    subjectId: subject !== undefined && /^[1-9][0-9]{0,15}$/.test(subject) ? Number(subject) : subject,
    expiresAt: until !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(until) ? `${until}T23:59:59.999Z` : until,
  };
}

/** Where a hold stands: in force, released, or past its expiry. */
const statusOf = (h: Hold): 'active' | 'released' | 'expired' => (h.releasedAt !== null ? 'released' : h.active ? 'active' : 'expired');

/** Renders the page: the list (audited read) and, for writers, the form (with the values and problems of a refused one). */
async function holdsPage(kernel: Kernel, req: Request, res: Response, status: number, form?: { values: HoldForm; errors: { field: string; message: string }[] }): Promise<void> {
  const brand = brandOf(req);
  const locale = pageLocale(req, 'en');
  const holds = await retentionOf(kernel).holds(brand);
  await kernel.audit.record({ brandId: brand.id, actor: actorOf(req), action: 'retention.holds.read', targetType: 'retention_hold', details: { count: holds.length, page: 'retention/holds' }, ip: req.ip });
  const who = await actorNames(kernel);
  const rows = holds.map((h: Hold) => ({
    id: h.id, scope: h.scope,
    what: h.scope === 'subject' ? t(locale, 'retention.admin.holds.scope.subject', { id: String(h.subjectId) })
      : h.scope === 'category' ? t(locale, 'retention.admin.holds.scope.category', { category: t(locale, `policy.category.${h.category}`) }) : t(locale, 'retention.admin.holds.scope.brand'),
    reason: t(locale, `retention.admin.holds.reason.${h.reason}`), note: h.note, placedBy: who(h.createdBy), since: h.createdAt, until: h.expiresAt,
    status: statusOf(h), statusLabel: t(locale, `retention.admin.holds.status.${statusOf(h)}`),
    releasedAt: h.releasedAt, releasedBy: h.releasedBy ? who(h.releasedBy) : null,
    releaseAction: h.active ? pageUrl(brand, `holds/${h.id}/release`) : null,
  }));
  const values = form?.values ?? formOf({});
  const errors = form?.errors ?? [];
  const errorOf = (field: string): string | null => errors.filter((e) => e.field === field).map((e) => e.message).join('; ') || null;
  const option = (value: string, label: string, current: string): { value: string; label: string; selected: boolean } => ({ value, label, selected: value === current });
  await sendAdminPage(kernel, req, res, status, {
    page: 'admin/retention/holds', title: t(locale, 'retention.admin.holds.title', { brand: brand.name }), brand,
    view: {
      holds: rows, placeAction: pageUrl(brand, 'holds'), values, errors,
      fieldErrors: Object.fromEntries(FIELDS.map((f) => [f, errorOf(f)])),
      scopes: HoldScope.options.map((s) => option(s, t(locale, `retention.admin.holds.scopeOption.${s}`), values.scope || 'subject')),
      reasons: HoldReason.options.map((r) => option(r, t(locale, `retention.admin.holds.reason.${r}`), values.reason)),
      categories: DataCategory.options.map((c) => option(c, t(locale, `policy.category.${c}`), values.category)),
      flash: holds.some((h) => String(h.id) === req.query.item) ? flashMessage(req, locale, { placed: 'retention.admin.holds.flash.placed', released: 'retention.admin.holds.flash.released' }) : null,
    },
  });
}

/** Mounts GET holds, POST holds and POST holds/:id/release. */
export function holdPages(router: Router, kernel: Kernel): void {
  router.get('/holds', asyncRoute(async (req, res) => holdsPage(kernel, req, res, 200)));

  router.post('/holds', adminForm({ limit: '8kb', fields: 12 }), requireCsrf(kernel), asyncRoute(async (req, res) => {
    assertAdminCanWrite(req);
    const brand = brandOf(req);
    const values = formOf(req.body);
    let hold: Hold;
    try {
      hold = await retentionOf(kernel).hold(brand, parseInput(HoldInput, inputOf(values)), actorOf(req), req.ip);
    } catch (err) {
      if (!(err instanceof SuiteError) || err.code !== 'SUITE_VALIDATION_FAILED') throw err;
      return holdsPage(kernel, req, res, 400, { values, errors: formErrors(err, pageLocale(req, 'en')) });
    }
    res.redirect(303, `${pageUrl(brand, 'holds')}?flash=placed&item=${hold.id}`);
  }));

  router.post('/holds/:id/release', adminForm(), requireCsrf(kernel), asyncRoute(async (req, res) => {
    assertAdminCanWrite(req);
    const brand = brandOf(req);
    const hold = await retentionOf(kernel).release(brand, idParam(req.params.id), actorOf(req), req.ip);
    res.redirect(303, `${pageUrl(brand, 'holds')}?flash=released&item=${hold.id}`);
  }));
}
