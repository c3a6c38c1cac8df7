/**
 * The person's requests in the privacy center, `/b/:brand/privacy/requests` (mounted from rights' root routes): my
 * requests with their state and due date, and forms to download my data (access), correct it (rectify), restrict its
 * processing and delete my account (erase, after a confirmation page). Each form opens one request through the
 * module's intake path, already verified: the center's session proves the person (the panel's signed link:
 * 'panel-session'; an emailed code: 'email-code'). A ready export is offered through its one-time download link.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { fieldIssue, SuiteError, validationError, zodIssues } from '../../../core/errors';
import { rateLimit } from '../../../core/http/rate-limit';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { csrfToken, pageBasics, requireCsrf, sendPage } from '../../../core/pages';
import { centerBrand, centerPath, centerRoute, centerSession, visitOf, withCenterSession, type CenterVisit } from '../../consent/public';
import { openRequest } from '../requests/open-request';
import { toRequest, type RequestRow } from '../requests/request-store';
import { CLOSED_STATUSES, RectifiableField, RequestInput, type RequestType } from '../requests/request-types';

/** The request types the center opens, and the fields a correction form offers (the intake's rectifiable fields). */
export const CENTER_TYPES = ['access', 'rectify', 'restrict', 'erase'] as const satisfies readonly RequestType[];
export const CORRECTABLE = RectifiableField.options;

const form = express.urlencoded({ extended: false, limit: '8kb' });
const MessageField = z.string().max(2000).optional();

async function rightsOn(kernel: Kernel, visit: CenterVisit): Promise<void> {
  if (!(await kernel.modules.enabledFor(kernel.brands, visit.brand, 'rights'))) throw new SuiteError('SUITE_MODULE_DISABLED', { module: 'rights', brand: visit.brand.slug });
}

/** Opens one verified request for the visitor, unless one of that type is still open (a second click writes nothing). */
async function openFromCenter(kernel: Kernel, visit: CenterVisit, input: Omit<RequestInput, 'subjectId'>, ip: string | undefined): Promise<number> {
  await rightsOn(kernel, visit);
  const open = await kernel.db('rights_requests').where({ brand_id: visit.brand.id, subject_id: visit.subjectId, type: input.type }).whereNotIn('status', [...CLOSED_STATUSES]).first();
  if (open) throw validationError([fieldIssue('type', 'validation.rights.centerAlreadyOpen')]);
  const checked = RequestInput.safeParse({ ...input, subjectId: visit.subjectId });
  if (!checked.success) throw validationError(zodIssues(checked.error.issues));
  const actor = { type: 'anonymous' as const, id: 'privacy-center' };
  const request = await openRequest(kernel, visit.brand, checked.data, {
    source: 'public', actor, ip, verification: { method: visit.method === 'sso' ? 'panel-session' : 'email-code', by: actor },
  });
  return request.id;
}

/** Mounts the center's request pages on the root router. */
export function centerRequestRoutes(r: Router, kernel: Kernel): void {
  const pageLimit = rateLimit(kernel, { name: 'privacy-requests', max: 60, windowMs: 60_000 });
  const openLimit = rateLimit(kernel, { name: 'privacy-requests-open', max: 10, windowMs: 60 * 60_000 });
  const base = '/b/:brand/privacy/requests';

  r.get(base, pageLimit, centerRoute(kernel, async (req, res) => {
    const brand = await centerBrand(kernel, req);
    const visit = await centerSession(kernel, req, res, brand);
    if (!visit) return void res.redirect(303, `${centerPath(brand)}/login`);
    await rightsOn(kernel, visit);
    const { locale, branding } = await pageBasics(kernel, req, brand);
    const rows = (await kernel.db('rights_requests').where({ brand_id: brand.id, subject_id: visit.subjectId }).orderBy('id', 'desc').limit(50)) as RequestRow[];
    const now = Date.now();
    const ready = new Set(((await kernel.db('rights_exports').whereIn('request_id', rows.map((x) => x.id)).where({ state: 'ready' }).whereNull('downloaded_at').where('expires_at', '>', now).select('request_id')) as { request_id: number }[]).map((x) => Number(x.request_id)));
    const requests = [];
    for (const row of rows) {
      // The one-time link is in the request's (encrypted) result: read only for an export still waiting to be downloaded.
      const full = ready.has(Number(row.id)) || row.type === 'rectify' ? await toRequest(kernel, row) : null;
      const result = ready.has(Number(row.id)) ? full?.result : null;
      // What a correction asked for, as the person typed it (their own data, shown back to them only).
      const changes = Object.entries(full?.requester.changes ?? {}).map(([f, value]) => ({ label: t(locale, `rights.center.field.${f}`), value }));
      requests.push({
        changes,
        id: Number(row.id), type: t(locale, `rights.center.type.${row.type}`), status: t(locale, `rights.center.status.${row.status}`),
        receivedAt: Number(row.created_at), dueAt: Number(row.due_at),
        download: typeof result?.url === 'string' ? result.url : null,
      });
    }
    const opened = typeof req.query.opened === 'string' && (CENTER_TYPES as readonly string[]).includes(req.query.opened) ? t(locale, `rights.center.opened.${req.query.opened}`) : null;
    sendPage(req, res, 200, {
      page: 'client/privacy-requests', locale, branding, csrfToken: csrfToken(kernel, req, res, visit.sessionId),
      view: {
        title: t(locale, 'rights.center.title'), base: centerPath(brand), requests, opened,
        fields: CORRECTABLE.map((f) => ({ name: f, label: t(locale, `rights.center.field.${f}`) })),
      },
    });
  }));

  const post = (path: string, build: (body: Record<string, unknown>) => Omit<RequestInput, 'subjectId'>) => {
    r.post(`${base}${path}`, openLimit, form, withCenterSession(kernel), requireCsrf(kernel), centerRoute(kernel, async (req, res) => {
      const visit = visitOf(res);
      const { locale } = await pageBasics(kernel, req, visit.brand);
      const input = build(req.body as Record<string, unknown>);
      await openFromCenter(kernel, visit, { ...input, locale }, req.ip);
      res.redirect(303, `${centerPath(visit.brand)}/requests?opened=${input.type}`);
    }));
  };

  const message = (body: Record<string, unknown>): string | undefined => {
    const m = MessageField.safeParse(typeof body.message === 'string' && body.message.trim() !== '' ? body.message : undefined);
    if (!m.success) throw validationError(zodIssues(m.error.issues.map((i) => ({ ...i, path: ['message'] }))));
    return m.data;
  };

  post('/access', () => ({ type: 'access' }));
  post('/restrict', (body) => ({ type: 'restrict', message: message(body) }));
  post('/rectify', (body) => {
    const changes: Record<string, string> = {};
    for (const f of CORRECTABLE) {
      const v = body[f];
      if (typeof v === 'string' && v.trim() !== '') changes[f] = v;
    }
    if (Object.keys(changes).length === 0) throw validationError([fieldIssue('changes', 'validation.rights.rectifyNeedsChanges')]);
    return { type: 'rectify', changes, message: message(body) };
  });

  // Deleting an account is asked twice: the page explains what it means, and the form must carry confirm=yes.
  r.get(`${base}/erase`, pageLimit, centerRoute(kernel, async (req, res) => {
    const brand = await centerBrand(kernel, req);
    const visit = await centerSession(kernel, req, res, brand);
    if (!visit) return void res.redirect(303, `${centerPath(brand)}/login`);
    await rightsOn(kernel, visit);
    const { locale, branding } = await pageBasics(kernel, req, brand);
    sendPage(req, res, 200, {
      page: 'client/privacy-erase', locale, branding, csrfToken: csrfToken(kernel, req, res, visit.sessionId),
      view: { title: t(locale, 'rights.center.erase.title'), base: centerPath(brand), brandName: branding.name },
    });
  }));
  post('/erase', (body) => {
    if (body.confirm !== 'yes') throw validationError([fieldIssue('confirm', 'validation.rights.centerConfirmErase')]);
    return { type: 'erase', message: message(body) };
  });
}
