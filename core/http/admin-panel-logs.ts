/**
 * The admin panel's log pages: `GET /admin/audit` (filtered, paged by sequence), `GET /admin/outbox` (by state, dead
 * letters first, with a retry form: `POST /admin/outbox/:id/retry`), `GET /admin/alerts` (unusual access, MS-10) and
 * `GET /admin/hook-failures`. A reseller-scoped user sees only its brands' entries, as in the admin API
 * (core/http/admin-routes.ts); payloads are never shown (they hold personal data).
 */
import express, { type Request, type Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { fieldIssue, validationError, zodIssues } from '../errors';
import type { Kernel } from '../kernel';
import { t } from '../i18n';
import { pageLocale, requireCsrf } from '../pages';
import type { OutboxState } from '../outbox/outbox';
import { accessWatch } from '../security/access-watch';
import type { Brand } from '../brands/brand';
import { actorOf } from './admin-auth';
import { adminForm, assertAdminCanWrite, flashMessage, formErrors, sendAdminPage } from './admin-kit';
import { requireAdminSession, requireAdminUser } from './admin-session';
import { asyncRoute } from './respond';
import { idParam } from './route-input';

const STATES = ['dead', 'pending', 'delivering', 'delivered'] as const;
const ACTOR_TYPES = ['apikey', 'user', 'cli', 'system', 'hook', 'anonymous'] as const;
const DAY = 86_400_000;
const optional = <T extends z.ZodTypeAny>(s: T) => z.preprocess((v) => (v === '' ? undefined : v), s.optional());
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.admin.logs.date').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'validation.admin.logs.date');

/** The audit page's filters (all optional); `before` pages to older entries by sequence number. */
const AuditFilter = z.object({
  action: optional(z.string().trim().max(80)),
  brand: optional(z.string().trim().max(63)),
  actor: optional(z.string().trim().max(80)),
  target: optional(z.string().trim().max(190)),
  from: optional(day),
  to: optional(day),
  before: optional(z.string().regex(/^[1-9][0-9]{0,15}$/, 'validation.admin.logs.before').transform(Number)),
  limit: optional(z.enum(['25', '50', '100', '200']).transform(Number)),
});
type AuditFilter = z.infer<typeof AuditFilter>;

/** The brands a user sees (all for an unscoped user). */
async function visibleBrands(kernel: Kernel, req: Request): Promise<Brand[]> {
  const ids = requireAdminUser(req).brandIds;
  return (await kernel.brands.list()).filter((b) => !ids || ids.includes(b.id));
}

/**
 * The brand ids a list is limited to: the user's scope, narrowed to `slug` when given (a brand the user does not
 * see is a field error, the same as an unknown one). null: every brand.
 */
function scopeOf(req: Request, brands: Brand[], slug: string | undefined): number[] | null {
  if (slug) {
    const b = brands.find((x) => x.slug === slug);
    if (!b) throw validationError([fieldIssue('brand', 'validation.admin.logs.brand')]);
    return [b.id];
  }
  return requireAdminUser(req).brandIds ?? null;
}

/** Error messages of outside systems may quote an address: quoted, bracketed and e-mail-like values are masked. */
export function maskError(s: string | null): string | null {
  return s === null ? null : s.replace(/'[^']*'|"[^"]*"|`[^`]*`|<[^>]*>/g, '…').replace(/[^\s@]+@[^\s@]+/g, '…@…');
}

/** An audit entry's details as key/value pairs (values as compact JSON text, escaped by the template). */
function detailPairs(raw: unknown): { key: string; value: string }[] {
  if (raw === null || raw === undefined || raw === '') return [];
  let d: unknown = raw;
  if (typeof raw === 'string') {
    try { d = JSON.parse(raw); } catch { return [{ key: '', value: raw }]; }
  }
  if (typeof d !== 'object' || d === null || Array.isArray(d)) return [{ key: '', value: JSON.stringify(d) }];
  return Object.entries(d).map(([key, v]) => ({ key, value: typeof v === 'string' ? v : JSON.stringify(v) }));
}

/** The audit rows for a filter, newest first (one more than `limit`, to know whether there are older ones). */
async function auditRows(db: Knex, f: AuditFilter, brandIds: number[] | null, limit: number): Promise<Record<string, unknown>[]> {
  let q = db('audit_log').orderBy('seq', 'desc').limit(limit + 1)
    .select('id', 'seq', 'created_at', 'brand_id', 'actor', 'action', 'target_type', 'target_id', 'details', 'ip_hash');
  if (brandIds) q = q.whereIn('brand_id', brandIds);
  if (f.action) q = q.where('action', f.action);
  if (f.actor) {
    // A bare type ("user", "system") matches every actor of that type; otherwise the actor as stored ("user:3").
    q = (ACTOR_TYPES as readonly string[]).includes(f.actor) ? q.where('actor', 'like', `${f.actor}:%`) : q.where('actor', f.actor);
  }
  if (f.target) {
    const colon = f.target.indexOf(':');
    q = colon > 0 ? q.where({ target_type: f.target.slice(0, colon), target_id: f.target.slice(colon + 1) }) : q.where('target_id', f.target);
  }
  if (f.from) q = q.where('created_at', '>=', Date.parse(`${f.from}T00:00:00Z`));
  if (f.to) q = q.where('created_at', '<', Date.parse(`${f.to}T00:00:00Z`) + DAY);
  if (f.before) q = q.where('seq', '<', f.before);
  return (await q) as Record<string, unknown>[];
}

/** Builds the log pages' routes (after `adminSession` on /admin). */
export function adminPanelLogsRouter(kernel: Kernel): Router {
  const r = express.Router();
  r.use(['/admin/audit', '/admin/outbox', '/admin/alerts', '/admin/hook-failures'], requireAdminSession());

  r.get('/admin/audit', asyncRoute(async (req, res) => {
    const locale = pageLocale(req, 'en');
    const brands = await visibleBrands(kernel, req);
    const slugs = new Map(brands.map((b) => [b.id, b.slug]));
    const raw = Object.fromEntries(Object.entries(req.query).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    const view = { filter: raw, brands: brands.map((b) => ({ slug: b.slug, name: b.name, selected: b.slug === raw.brand })), limits: [25, 50, 100, 200].map((n) => ({ n, selected: String(n) === (raw.limit ?? '50') })) };
    let entries: Record<string, unknown>[] = [];
    let older: string | null = null;
    let errors: { field: string; message: string }[] = [];
    try {
      const parsed = AuditFilter.safeParse(req.query);
      if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
      const f = parsed.data;
      const limit = f.limit ?? 50;
      const rows = await auditRows(kernel.db, f, scopeOf(req, brands, f.brand), limit);
      if (rows.length > limit) {
        const next = new URLSearchParams(Object.entries(raw).filter(([k, v]) => k !== 'before' && v !== ''));
        next.set('before', String(rows[limit - 1].seq));
        older = `/admin/audit?${next.toString()}`;
      }
      entries = rows.slice(0, limit).map((e) => ({
        seq: Number(e.seq), at: Number(e.created_at), brand: e.brand_id === null ? null : slugs.get(Number(e.brand_id)) ?? String(e.brand_id),
        actor: e.actor, action: e.action, target: e.target_type ? `${String(e.target_type)}:${String(e.target_id ?? '')}` : (e.target_id ?? null),
        details: detailPairs(e.details), ip: typeof e.ip_hash === 'string' ? e.ip_hash.slice(0, 12) : null,
      }));
    } catch (err) {
      errors = formErrors(err, locale);
      if (!errors.length) throw err;
    }
    await sendAdminPage(kernel, req, res, errors.length ? 400 : 200, {
      page: 'admin/audit', title: t(locale, 'admin.audit.title'), view: { ...view, entries, older, errors, newest: raw.before ? '/admin/audit' : null },
    });
  }));

  r.get('/admin/outbox', asyncRoute(async (req, res) => {
    const locale = pageLocale(req, 'en');
    const brands = await visibleBrands(kernel, req);
    const slugs = new Map(brands.map((b) => [b.id, b.slug]));
    const q = z.object({ state: optional(z.enum(STATES)), brand: optional(z.string().max(63)) }).safeParse(req.query);
    if (!q.success) throw validationError(zodIssues(q.error.issues));
    const state: OutboxState = q.data.state ?? 'dead';
    const rows = await kernel.outbox.list({ state, brandIds: scopeOf(req, brands, q.data.brand), limit: 200 });
    const messages = rows.map((m) => ({
      id: Number(m.id), brand: slugs.get(Number(m.brand_id)) ?? String(m.brand_id), topic: m.topic, recipient: m.recipient, purpose: m.purpose,
      state: m.state, attempts: Number(m.attempts), lastError: maskError(m.last_error), nextAttempt: m.state === 'pending' ? Number(m.next_attempt_at) : null,
      createdAt: Number(m.created_at), deliveredAt: m.delivered_at === null ? null : Number(m.delivered_at), dead: m.state === 'dead',
    }));
    await sendAdminPage(kernel, req, res, 200, {
      page: 'admin/outbox', title: t(locale, 'admin.outbox.title'),
      view: {
        messages, state, stateLabel: t(locale, `admin.outbox.state.${state}`),
        states: STATES.map((s) => ({ value: s, label: t(locale, `admin.outbox.state.${s}`), selected: s === state })),
        brands: brands.map((b) => ({ slug: b.slug, name: b.name, selected: b.slug === q.data.brand })),
        flash: flashMessage(req, locale, { retried: 'admin.outbox.flash.retried' }),
      },
    });
  }));

  // Writers only; the message must be dead and of a brand the user sees (else 404, nothing changed). Audited.
  r.post('/admin/outbox/:id/retry', adminForm({ fields: 5 }), requireCsrf(kernel), asyncRoute(async (req, res) => {
    assertAdminCanWrite(req);
    const id = idParam(req.params.id);
    const { brandId } = await kernel.outbox.retry(id, requireAdminUser(req).brandIds ?? null);
    await kernel.audit.record({ brandId, actor: actorOf(req), action: 'outbox.retry', targetType: 'outbox', targetId: id, ip: req.ip });
    res.redirect(303, `/admin/outbox?flash=retried&item=${id}`);
  }));

  // MS-10: a scoped user sees the alerts whose failures named one of its brands, counted over those only.
  r.get('/admin/alerts', asyncRoute(async (req, res) => {
    const locale = pageLocale(req, 'en');
    const slugs = new Map((await kernel.brands.list()).map((b) => [b.id, b.slug]));
    const alerts = (await accessWatch(kernel).alerts({ brandIds: requireAdminUser(req).brandIds ?? null, limit: 200 })).map((a) => ({
      id: a.id, ip: a.ip, windowStart: a.windowStart, windowEnd: a.windowStart + a.windowSeconds * 1000, createdAt: a.createdAt,
      failures: a.failures, threshold: a.threshold, sources: Object.entries(a.sources).map(([source, n]) => ({ source, n })),
      brands: a.brandIds.map((id) => slugs.get(id) ?? String(id)),
    }));
    await sendAdminPage(kernel, req, res, 200, { page: 'admin/alerts', title: t(locale, 'admin.alerts.title'), view: { alerts } });
  }));

  r.get('/admin/hook-failures', asyncRoute(async (req, res) => {
    const locale = pageLocale(req, 'en');
    const brands = await visibleBrands(kernel, req);
    const slugs = new Map(brands.map((b) => [b.id, b.slug]));
    const ids = requireAdminUser(req).brandIds;
    let q = kernel.db('hook_failures').orderBy('id', 'desc').limit(200).select('id', 'brand_id', 'hook', 'binding', 'code', 'created_at');
    if (ids) q = q.whereIn('brand_id', ids);
    const failures = ((await q) as { id: number; brand_id: number; hook: string; binding: string; code: string; created_at: number | string }[]).map((f) => ({
      id: Number(f.id), brand: slugs.get(Number(f.brand_id)) ?? String(f.brand_id), hook: f.hook, binding: f.binding, code: f.code, at: Number(f.created_at),
    }));
    await sendAdminPage(kernel, req, res, 200, { page: 'admin/hook-failures', title: t(locale, 'admin.hookFailures.title'), view: { failures } });
  }));

  return r;
}
