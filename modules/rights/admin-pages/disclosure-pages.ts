/**
 * Legal disclosures (MS-5.2, WSM-15) in the panel: `disclosures` lists the brand's authority requests with a form to
 * record one and, for a pending one, a decision form; the decision goes through `decideDisclosure`, which refuses the
 * user who recorded the request (four eyes). An approval's package (the released values, handed out once) is the
 * answer to the POST itself, never stored or linked. Below, the brand's disclosure log (what went to whom, when),
 * filtered by recipient, purpose and subject.
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError } from '../../../core/errors';
import { actorOf } from '../../../core/http/admin-auth';
import { adminForm, assertAdminCanWrite, flashMessage, formErrors, sendAdminPage, viewPersonalData } from '../../../core/http/admin-kit';
import { asyncRoute } from '../../../core/http/respond';
import { idParam, parseInput } from '../../../core/http/route-input';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { pageLocale, requireCsrf } from '../../../core/pages';
import type { DataCategory } from '../../../core/profile/schema';
import { disclosureRow, listDisclosures } from '../disclosures/disclosure-store';
import { DecisionInput, DisclosureInput } from '../disclosures/disclosure-types';
import { decideDisclosure, LEGAL_PURPOSE, requestDisclosure } from '../disclosures/legal-disclosure';

const LOG_PAGE = 50;
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const DIGITS = /^[1-9][0-9]{0,15}$/;

/** The page's filters: the requests' status; the log's recipient, purpose, subject and page. */
const PageQuery = z.object({
  status: z.preprocess(blank, z.enum(['pending', 'approved', 'refused']).optional()),
  recipient: z.preprocess(blank, z.string().max(64).optional()),
  purpose: z.preprocess(blank, z.string().max(64).optional()),
  subject: z.preprocess(blank, z.coerce.number().int().min(1).optional()),
  page: z.preprocess(blank, z.coerce.number().int().min(1).max(100_000).optional()),
});

/** The create form's values as typed (to show them again next to the errors). */
type CreateValues = Record<'subjectId' | 'authority' | 'contact' | 'officer' | 'legalBasis' | 'reference' | 'fields' | 'recipient', string>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : typeof v === 'string' ? [v] : []);

const baseOf = (brand: Brand) => `/admin/brands/${encodeURIComponent(brand.slug)}/rights/disclosures`;
const json = (s: string | null): string => (s ? (JSON.parse(s) as string[]).join(', ') : '');

/** Renders the disclosures page (also with the create form's errors and values, status 400). */
async function renderPage(kernel: Kernel, req: Request, res: Response, status: number, form: { values?: CreateValues; errors?: { field: string; message: string }[] } = {}): Promise<void> {
  const brand = req.brand!;
  const locale = pageLocale(req, 'en');
  const q = parseInput(PageQuery, req.query);
  const profile = await kernel.brands.profile(brand);
  const authorities = profile.recipients.filter((r) => r.kind === 'authority').map((r) => ({ code: r.code, name: r.name, selected: r.code === form.values?.recipient }));
  const base = baseOf(brand);
  const requests = (await listDisclosures(kernel, brand.id, { status: q.status })).map((d) => ({
    id: d.id, createdAt: d.createdAt, subjectId: d.subjectId, authority: d.requester.authority, contact: d.requester.contact, officer: d.requester.officer ?? '',
    legalBasis: d.legalBasis, reference: d.reference ?? '', fields: d.fields, fieldList: d.fields.join(', '), status: d.status,
    state: t(locale, `rights.admin.disclosures.status.${d.status}`), requestedBy: d.requestedBy, approver: d.approver ?? '',
    released: d.released?.join(', ') ?? '', decidedAt: d.decidedAt, pending: d.status === 'pending', action: `${base}/${d.id}/decision`,
  }));
  let log = kernel.db('disclosure_log').where({ brand_id: brand.id });
  if (q.recipient) log = log.where({ recipient: q.recipient });
  if (q.purpose) log = log.where({ purpose: q.purpose });
  if (q.subject) log = log.where({ subject_id: q.subject });
  const page = q.page ?? 1;
  const rows = (await log.orderBy('id', 'desc').limit(LOG_PAGE + 1).offset((page - 1) * LOG_PAGE)) as Record<string, string | number | null>[];
  const pageLink = (p: number) => {
    const u = new URLSearchParams();
    for (const k of ['status', 'recipient', 'purpose', 'subject'] as const) if (q[k] !== undefined) u.set(k, String(q[k]));
    if (p > 1) u.set('page', String(p));
    return `${base}?${u.toString()}#log-heading`;
  };
  await kernel.audit.record({ brandId: brand.id, actor: actorOf(req), action: 'rights.disclosure.list', targetType: 'rights_disclosure', details: { count: requests.length, log: Math.min(rows.length, LOG_PAGE) }, ip: req.ip });
  await sendAdminPage(kernel, req, res, status, {
    page: 'admin/rights/disclosures', title: t(locale, 'rights.admin.disclosures.title', { brand: brand.name }), brand,
    view: {
      flash: flashMessage(req, locale, { requested: 'rights.admin.disclosures.flash.requested', refused: 'rights.admin.disclosures.flash.refused' }),
      action: base, authorities, values: form.values ?? {}, errors: form.errors ?? [],
      statuses: (['pending', 'approved', 'refused'] as const).map((s) => ({ value: s, label: t(locale, `rights.admin.disclosures.status.${s}`), selected: s === q.status })),
      requests,
      logFilter: {
        recipients: profile.recipients.map((r) => ({ code: r.code, selected: r.code === q.recipient })),
        purposes: profile.purposes.map((p) => ({ code: p.code, selected: p.code === q.purpose })), subject: q.subject ?? '',
        status: q.status ?? '',
      },
      log: rows.slice(0, LOG_PAGE).map((r) => ({
        id: Number(r.id), at: Number(r.created_at), subjectId: r.subject_id === null ? '' : Number(r.subject_id), recipient: r.recipient, purpose: r.purpose,
        categories: json(r.categories as string), fields: json(r.fields as string), reference: r.reference ?? '', actor: r.actor,
      })),
      logPrev: page > 1 ? pageLink(page - 1) : null, logNext: rows.length > LOG_PAGE ? pageLink(page + 1) : null,
    },
  });
}

/** Mounts the disclosures page, the create form and the decision form. */
export function disclosurePages(router: Router, kernel: Kernel): void {
  router.get('/disclosures', asyncRoute(async (req, res) => renderPage(kernel, req, res, 200)));

  router.post('/disclosures', adminForm({ limit: '16kb', fields: 20 }), requireCsrf(kernel), asyncRoute(async (req, res) => {
    assertAdminCanWrite(req);
    const b = (req.body ?? {}) as Record<string, unknown>;
    const values: CreateValues = {
      subjectId: str(b.subjectId), authority: str(b.authority), contact: str(b.contact), officer: str(b.officer), legalBasis: str(b.legalBasis),
      reference: str(b.reference), fields: str(b.fields), recipient: str(b.recipient),
    };
    const input = {
      subjectId: DIGITS.test(values.subjectId.trim()) ? Number(values.subjectId.trim()) : blank(values.subjectId),
      requester: { authority: values.authority, contact: values.contact, ...(blank(values.officer) ? { officer: values.officer } : {}) },
      legalBasis: values.legalBasis, fields: values.fields.split(/[\s,;]+/).filter(Boolean),
      ...(blank(values.reference) ? { reference: values.reference } : {}), ...(blank(values.recipient) ? { recipient: values.recipient } : {}),
    };
    let id: number;
    try {
      id = (await requestDisclosure(kernel, req.brand!, parseInput(DisclosureInput, input), actorOf(req), req.ip)).id;
    } catch (err) {
      const errors = formErrors(err, pageLocale(req, 'en'));
      if (!errors.length) throw err;
      await renderPage(kernel, req, res, 400, { values, errors });
      return;
    }
    res.redirect(303, `${baseOf(req.brand!)}?${new URLSearchParams({ flash: 'requested', item: String(id) }).toString()}`);
  }));

  router.post('/disclosures/:id/decision', adminForm({ limit: '16kb', fields: 60 }), requireCsrf(kernel), asyncRoute(async (req, res) => {
    assertAdminCanWrite(req);
    const brand = req.brand!;
    const locale = pageLocale(req, 'en');
    const id = Number((await disclosureRow(kernel.db, brand.id, idParam(req.params.id))).id);
    const b = (req.body ?? {}) as Record<string, unknown>;
    const approve = b.decision === 'approve' ? true : b.decision === 'refuse' ? false : undefined;
    const input = parseInput(DecisionInput, { approve, ...(approve ? { fields: list(b.fields) } : {}), ...(blank(b.note) ? { note: str(b.note) } : {}) });
    let result;
    try {
      result = await decideDisclosure(kernel, brand, id, input, actorOf(req), req.ip);
    } catch (err) {
      // The service's four-eyes refusal, worded for panel users (its API text speaks of keys).
      if (err instanceof SuiteError && err.code === 'SUITE_RIGHTS_FOUR_EYES') {
        await sendAdminPage(kernel, req, res, 403, { page: 'common/message', title: t(locale, 'admin.panel.refusedTitle'), brand, view: { message: t(locale, 'rights.admin.disclosures.fourEyes', { id }), code: err.code } });
        return;
      }
      throw err;
    }
    if (!result.package) {
      res.redirect(303, `${baseOf(brand)}?${new URLSearchParams({ flash: 'refused', item: String(id) }).toString()}`);
      return;
    }
    const pkg = result.package;
    const categories = [...new Set(pkg.fields.map((f) => f.category as DataCategory))];
    const pv = await viewPersonalData(kernel, req, { brand, categories, targetType: 'rights_disclosure', targetId: id, page: 'rights.disclosure-package' });
    await sendAdminPage(kernel, req, res, 200, {
      page: 'admin/rights/disclosure-package', title: t(locale, 'rights.admin.package.title', { id }), brand,
      view: {
        back: baseOf(brand), pkg: { ...pkg, purpose: LEGAL_PURPOSE, missing: pkg.missing.join(', ') },
        fields: pkg.fields.map((f) => ({ name: f.name, category: f.category, value: pv.may(f.category as DataCategory) ? f.value : null })),
        withheld: pv.withheld.join(', '),
      },
    });
  }));
}
