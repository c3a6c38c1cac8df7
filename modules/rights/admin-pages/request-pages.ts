/**
 * The request queue pages: `requests` (filters, soonest due first, paged; the requester only for roles that see
 * contact data, ESM-3) and `requests/:id` (the request, its timeline, and a small form per action its state allows).
 * Every action goes through the same functions as the admin API (request-actions, fulfil-request) and answers 303
 * back with a flash; a refused action is the module's coded error as a page. Another brand's request is 404.
 */
import type { Request, Router } from 'express';
import { z } from 'zod';
import { ExtendInput, RejectInput } from '../requests/request-inputs';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError } from '../../../core/errors';
import { actorOf } from '../../../core/http/admin-auth';
import { adminForm, assertAdminCanWrite, flashMessage, sendAdminPage, viewPersonalData } from '../../../core/http/admin-kit';
import { asyncRoute } from '../../../core/http/respond';
import { idParam, parseInput } from '../../../core/http/route-input';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { pageLocale, requireCsrf } from '../../../core/pages';
import { moduleSettings } from '../../../core/profile/module-settings';
import type { DataCategory } from '../../../core/profile/schema';
import { FIELD_CATEGORIES } from '../../../core/subjects/field-catalogue';
import { fulfilRequest, NO_VERIFICATION_NEEDED } from '../requests/fulfil-request';
import { extendRequest, rejectRequest, sendRemovalOrder, verifyRequest } from '../requests/request-actions';
import { requestRow, type RequestRow } from '../requests/request-store';
import { CLOSED_STATUSES, RectifiableField, RequestStatus, RequestType, type RequesterDetails } from '../requests/request-types';
import { RightsSettings } from '../settings';
import { dueView, queueRow, statusLabel, timeline, typeLabel } from './request-view';

const PAGE_SIZE = 25;
const blank = (v: unknown) => (v === '' ? undefined : v);

/** The queue's filters (a GET form): state, type, overdue only, page. */
const QueueQuery = z.object({
  state: z.preprocess(blank, RequestStatus.optional()),
  type: z.preprocess(blank, RequestType.optional()),
  overdue: z.preprocess(blank, z.literal('1').optional()),
  page: z.preprocess(blank, z.coerce.number().int().min(1).max(100_000).optional()),
});

/** The admin API's rules for an extension and a rejection (requests/request-inputs.ts), read from a form's text. */
const ExtendForm = ExtendInput.extend({ businessDays: z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v), ExtendInput.shape.businessDays) });
const RejectForm = RejectInput;

/** Categories the request page may show: the requester's contact details, their message, a rectification's new values. */
const RECTIFY_CATEGORIES = [...new Set(RectifiableField.options.map((f) => FIELD_CATEGORIES[f] ?? 'contact'))];

const FLASHES = {
  verified: 'rights.admin.flash.verified', extended: 'rights.admin.flash.extended', fulfilled: 'rights.admin.flash.fulfilled',
  rejected: 'rights.admin.flash.rejected', 'removal-order': 'rights.admin.flash.removalOrder',
};

const baseOf = (brand: Brand) => `/admin/brands/${encodeURIComponent(brand.slug)}/rights`;

/** A request of this brand's queue; any other id (another brand's, a reseller's below) is 404. */
async function ownRequest(kernel: Kernel, brand: Brand, raw: unknown): Promise<RequestRow> {
  const row = await requestRow(kernel.db, idParam(raw));
  if (Number(row.queue_brand_id) !== brand.id) throw new SuiteError('SUITE_RIGHTS_REQUEST_UNKNOWN', { id: Number(row.id) });
  return row;
}

async function rightsOf(kernel: Kernel, brand: Brand) {
  const profile = await kernel.brands.profile(brand);
  return { profile, settings: moduleSettings(RightsSettings, profile, 'rights') };
}

/** The query string of the queue's filters (for the pager links). */
function filterQuery(q: z.infer<typeof QueueQuery>, page: number): string {
  const p = new URLSearchParams();
  if (q.state) p.set('state', q.state);
  if (q.type) p.set('type', q.type);
  if (q.overdue) p.set('overdue', '1');
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Mounts the queue and request pages. */
export function requestPages(router: Router, kernel: Kernel): void {
  router.get('/requests', asyncRoute(async (req, res) => {
    const brand = req.brand!;
    const locale = pageLocale(req, 'en');
    const q = parseInput(QueueQuery, req.query);
    const page = q.page ?? 1;
    const now = Date.now();
    const view = await viewPersonalData(kernel, req, { brand, categories: ['contact'], targetType: 'rights_queue', targetId: brand.slug, page: 'rights.requests' });
    const scoped = () => {
      let b = kernel.db('rights_requests').where({ queue_brand_id: brand.id });
      if (q.state) b = b.where({ status: q.state });
      if (q.type) b = b.where({ type: q.type });
      if (q.overdue) b = b.whereNotIn('status', [...CLOSED_STATUSES]).where('due_at', '<', now);
      return b;
    };
    const total = Number(((await scoped().count({ n: '*' }).first()) as { n: number | string }).n);
    const closed = CLOSED_STATUSES.map(() => '?').join(', ');
    const rows = (await scoped().orderByRaw(`case when status in (${closed}) then 1 else 0 end`, [...CLOSED_STATUSES]).orderBy('due_at').orderBy('id')
      .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)) as RequestRow[];
    const { profile, settings } = await rightsOf(kernel, brand);
    const base = baseOf(brand);
    const requests = [];
    for (const r of rows) {
      const requester = view.may('contact') ? (JSON.parse(await kernel.keyring.decrypt(r.requester_enc)) as RequesterDetails) : null;
      requests.push(queueRow(locale, base, profile, settings, r, requester, now));
    }
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    await kernel.audit.record({ brandId: brand.id, actor: actorOf(req), action: 'rights.queue.read', targetType: 'rights_queue', details: { count: rows.length, page }, ip: req.ip });
    await sendAdminPage(kernel, req, res, 200, {
      page: 'admin/rights/requests', title: t(locale, 'rights.admin.requests.title', { brand: brand.name }), brand,
      view: {
        requests, total, contactWithheld: !view.may('contact'), overdueOnly: Boolean(q.overdue),
        states: RequestStatus.options.map((s) => ({ value: s, label: statusLabel(locale, s), selected: s === q.state })),
        types: RequestType.options.map((s) => ({ value: s, label: typeLabel(locale, s), selected: s === q.type })),
        pager: pages > 1 ? {
          text: t(locale, 'rights.admin.requests.page', { page, pages }),
          prev: page > 1 ? `${base}/requests${filterQuery(q, page - 1)}` : null,
          next: page < pages ? `${base}/requests${filterQuery(q, page + 1)}` : null,
        } : null,
      },
    });
  }));

  router.get('/requests/:id', asyncRoute(async (req, res) => {
    const brand = req.brand!;
    const locale = pageLocale(req, 'en');
    const row = await ownRequest(kernel, brand, req.params.id);
    const categories: DataCategory[] = ['contact', 'correspondence', ...(row.type === 'rectify' ? RECTIFY_CATEGORIES : [])];
    const pv = await viewPersonalData(kernel, req, { brand, categories, targetType: 'rights_request', targetId: Number(row.id), page: 'rights.request' });
    const details = pv.shown.length ? (JSON.parse(await kernel.keyring.decrypt(row.requester_enc)) as RequesterDetails) : {};
    const { profile, settings } = await rightsOf(kernel, brand);
    const status = row.status;
    const open = !CLOSED_STATUSES.includes(status);
    const verified = row.verified_at !== null;
    const base = `${baseOf(brand)}/requests/${Number(row.id)}`;
    const changes = Object.entries(details.changes ?? {}).map(([field, value]) => {
      const c = FIELD_CATEGORIES[field] ?? 'contact';
      return { field, value: pv.may(c) ? value : null };
    });
    await sendAdminPage(kernel, req, res, 200, {
      page: 'admin/rights/request', title: t(locale, 'rights.admin.request.title', { id: Number(row.id) }), brand,
      view: {
        flash: flashMessage(req, locale, FLASHES), back: `${baseOf(brand)}/requests`,
        request: {
          id: Number(row.id), type: typeLabel(locale, row.type), status, state: statusLabel(locale, status), source: row.source, sla: row.sla,
          receivedAt: Number(row.created_at), dueAt: Number(row.due_at), originalDueAt: Number(row.original_due_at),
          extended: row.extended_at !== null, extensionReason: row.extension_reason, verified,
          verification: verified ? { method: row.verification_method, at: Number(row.verified_at), by: row.verified_by } : null,
          closedReason: row.closed_reason, fulfilledAt: row.fulfilled_at === null ? null : Number(row.fulfilled_at),
          subjectId: row.subject_id === null ? null : Number(row.subject_id),
          parent: row.parent_request_id === null ? null : { id: Number(row.parent_request_id) },
          ...(open ? dueView(locale, profile, settings, row, Date.now()) : { overdue: false, nearDue: false, dueNote: '' }),
        },
        requester: {
          contact: pv.may('contact') ? { name: details.name ?? null, email: details.email ?? null } : null,
          message: pv.may('correspondence') ? (details.message ?? null) : undefined,
          changes, channels: details.channels?.join(', ') ?? null,
        },
        withheld: pv.withheld.join(', '),
        events: await timeline(kernel, locale, Number(row.id)),
        actions: {
          verify: status === 'received' ? `${base}/verify` : null,
          extend: open ? `${base}/extend` : null,
          fulfil: open && (verified || NO_VERIFICATION_NEEDED.has(row.type)) ? `${base}/fulfil` : null,
          reject: open ? `${base}/reject` : null,
          removalOrder: row.type === 'erase' && verified && brand.kind === 'reseller' && brand.parentId !== null ? `${base}/removal-order` : null,
        },
        needsVerification: open && !verified && !NO_VERIFICATION_NEEDED.has(row.type),
      },
    });
  }));

  /** One action: CSRF (before), a write role, this brand's request; the module's function; 303 back with a flash. */
  const action = (path: string, run: (req: Request, brand: Brand, id: number) => Promise<{ flash: keyof typeof FLASHES; item: number }>) => {
    router.post(`/requests/:id/${path}`, adminForm({ limit: '8kb', fields: 10 }), requireCsrf(kernel), asyncRoute(async (req, res) => {
      assertAdminCanWrite(req);
      const brand = req.brand!;
      const row = await ownRequest(kernel, brand, req.params.id);
      const done = await run(req, brand, Number(row.id));
      const q = new URLSearchParams({ flash: done.flash, item: String(done.item) });
      res.redirect(303, `${baseOf(brand)}/requests/${Number(row.id)}?${q.toString()}`);
    }));
  };
  const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

  action('verify', async (req, brand, id) => {
    await verifyRequest(kernel, brand, id, 'manual', actorOf(req), req.ip);
    return { flash: 'verified', item: id };
  });
  action('extend', async (req, brand, id) => {
    const input = parseInput(ExtendForm, { businessDays: blank(body(req).businessDays), reason: body(req).reason });
    await extendRequest(kernel, brand, id, input, actorOf(req), req.ip);
    return { flash: 'extended', item: id };
  });
  action('fulfil', async (req, brand, id) => {
    await fulfilRequest(kernel, brand, id, actorOf(req), req.ip);
    return { flash: 'fulfilled', item: id };
  });
  action('reject', async (req, brand, id) => {
    const { reason } = parseInput(RejectForm, { reason: body(req).reason });
    await rejectRequest(kernel, brand, id, reason, actorOf(req));
    return { flash: 'rejected', item: id };
  });
  action('removal-order', async (req, brand, id) => {
    const order = await sendRemovalOrder(kernel, brand, id, actorOf(req), req.ip);
    return { flash: 'removal-order', item: order.id };
  });
}
