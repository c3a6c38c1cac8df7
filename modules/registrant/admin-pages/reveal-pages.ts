/**
 * Reveal requests (WSM-17) in the panel: `…/registrant/reveal-requests` (the brand's requests, by status), one
 * request at `…/reveal-requests/:id` with its evidence, and its decision form (`POST …/:id/decision`: disclose,
 * suspend, reject, lift — writers only, CSRF, 303 with a flash) through the same service as the admin API. The
 * complainant is `contact` and the evidence `correspondence` (ESM-3, audited); another brand's request is 404.
 */
import type { Request, Router } from 'express';
import { z } from 'zod';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError, validationError, zodIssues } from '../../../core/errors';
import { actorOf } from '../../../core/http/admin-auth';
import { adminForm, assertAdminCanWrite, flashMessage, sendAdminPage, viewPersonalData } from '../../../core/http/admin-kit';
import { asyncRoute } from '../../../core/http/respond';
import { idParam } from '../../../core/http/route-input';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { pageLocale, requireCsrf } from '../../../core/pages';
import type { RegistryContact } from '../../registrars/contract';
import { decideRevealRequest } from '../reveal/decide-request';
import { RevealDecision } from '../reveal/reveal-input';
import { findDomain } from '../store/domain-store';

const STATUSES = ['notice-sent', 'disclosed', 'suspended', 'rejected', 'lifted'] as const;
const FLASH = { disclosed: 'registrant.admin.reveal.flash.disclosed', suspended: 'registrant.admin.reveal.flash.suspended', rejected: 'registrant.admin.reveal.flash.rejected', lifted: 'registrant.admin.reveal.flash.lifted' };

interface RequestRow { id: number; domain: string; status: string; legal_basis: string; deadline_at: number | string; created_at: number | string; decided_at: number | string | null; decided_by: string | null; registry_hold: string | null; complainant_enc: string; evidence_enc: string }

/** The module's page base for a brand. */
const revealBase = (brand: Brand) => `/admin/brands/${encodeURIComponent(brand.slug)}/registrant/reveal-requests`;

/** The plain columns of a request as the pages show them (nothing decrypted). */
function plain(r: RequestRow, locale: string, base: string) {
  const status = String(r.status);
  return {
    id: Number(r.id), domain: String(r.domain), status, statusLabel: t(locale, `registrant.admin.reveal.status.${status}`), legalBasis: String(r.legal_basis),
    deadlineAt: Number(r.deadline_at), createdAt: Number(r.created_at), decidedAt: r.decided_at === null ? null : Number(r.decided_at), decidedBy: r.decided_by,
    registryHold: r.registry_hold, holdLabel: r.registry_hold ? t(locale, `registrant.admin.reveal.hold.${r.registry_hold}`) : null,
    href: `${base}/${Number(r.id)}`, overdue: status === 'notice-sent' && Number(r.deadline_at) <= Date.now(),
  };
}

/** The complainant (contact), decrypted only for a role that may see it. */
async function complainantOf(kernel: Kernel, r: RequestRow, may: boolean): Promise<Record<string, string> | null> {
  return may ? (JSON.parse(await kernel.keyring.decrypt(r.complainant_enc)) as Record<string, string>) : null;
}

/** The registrant contact a disclosure passed on (contact), for the admin to send to the complainant. */
async function disclosedContact(kernel: Kernel, brand: Brand, domain: string): Promise<{ label: string; value: string }[] | null> {
  const row = await findDomain(kernel.db, brand.id, domain);
  const c = row && ((await kernel.db('registrant_contacts').where({ domain_id: row.id, role: 'registrant' }).first('data_enc')) as { data_enc: string } | undefined);
  if (!c) return null;
  const contact = JSON.parse(await kernel.keyring.decrypt(c.data_enc)) as RegistryContact;
  const fields: [string, unknown][] = [['name', contact.name], ['org', contact.org], ['street', contact.street?.join(', ')], ['city', contact.city], ['sp', contact.sp], ['pc', contact.pc], ['cc', contact.cc], ['voice', contact.voice], ['email', contact.email]];
  return fields.filter(([, v]) => typeof v === 'string' && v !== '').map(([label, v]) => ({ label, value: String(v) }));
}

/** One request of the brand in the URL; another brand's (or none) is 404. */
async function requestOf(kernel: Kernel, req: Request): Promise<RequestRow> {
  const id = idParam(req.params.id);
  const row = (await kernel.db('registrant_reveal_requests').where({ id, brand_id: req.brand!.id }).first()) as RequestRow | undefined;
  if (!row) throw new SuiteError('SUITE_NOT_FOUND', { what: 'reveal request', id });
  return row;
}

/** Mounts the list, the request page and the decision form. */
export function revealPages(router: Router, kernel: Kernel): void {
  router.get('/reveal-requests', asyncRoute(async (req, res) => {
    const brand = req.brand!;
    const locale = pageLocale(req, 'en');
    const q = z.object({ status: z.preprocess((v) => (v === '' ? undefined : v), z.enum(STATUSES).optional()) }).safeParse(req.query);
    if (!q.success) throw validationError(zodIssues(q.error.issues));
    const personal = await viewPersonalData(kernel, req, { brand, categories: ['contact'], targetType: 'reveal_request', targetId: 'list', page: 'registrant.reveal-requests' });
    let rows = kernel.db('registrant_reveal_requests').where({ brand_id: brand.id }).orderBy('id', 'desc').limit(500);
    if (q.data.status) rows = rows.where({ status: q.data.status });
    const base = revealBase(brand);
    const requests = [];
    for (const r of (await rows) as RequestRow[]) requests.push({ ...plain(r, locale, base), complainant: await complainantOf(kernel, r, personal.may('contact')) });
    await sendAdminPage(kernel, req, res, 200, {
      page: 'admin/registrant/reveal-requests', title: t(locale, 'registrant.admin.reveal.title'), brand,
      view: {
        requests, contactWithheld: !personal.may('contact'), base,
        statuses: STATUSES.map((s) => ({ value: s, label: t(locale, `registrant.admin.reveal.status.${s}`), selected: s === q.data.status })),
      },
    });
  }));

  router.get('/reveal-requests/:id', asyncRoute(async (req, res) => {
    const brand = req.brand!;
    const locale = pageLocale(req, 'en');
    const row = await requestOf(kernel, req);
    const personal = await viewPersonalData(kernel, req, { brand, categories: ['contact', 'correspondence'], targetType: 'reveal_request', targetId: Number(row.id), page: 'registrant.reveal-request' });
    const request = plain(row, locale, revealBase(brand));
    const contact = personal.may('contact');
    await sendAdminPage(kernel, req, res, 200, {
      page: 'admin/registrant/reveal-request', title: t(locale, 'registrant.admin.reveal.requestTitle', { id: request.id, domain: request.domain }), brand,
      view: {
        request, base: revealBase(brand),
        complainant: await complainantOf(kernel, row, contact), contactWithheld: !contact,
        evidence: personal.may('correspondence') ? await kernel.keyring.decrypt(row.evidence_enc) : null, evidenceWithheld: !personal.may('correspondence'),
        disclosed: request.status === 'disclosed' && contact ? await disclosedContact(kernel, brand, request.domain) : null,
        waiting: request.status === 'notice-sent', suspended: request.status === 'suspended',
        flash: flashMessage(req, locale, FLASH),
      },
    });
  }));

  // The form's fields, as the admin API's body: a checkbox for `beforeDeadline`, an empty reason is none.
  router.post('/reveal-requests/:id/decision', adminForm({ limit: '8kb', fields: 6 }), requireCsrf(kernel), asyncRoute(async (req, res) => {
    assertAdminCanWrite(req);
    const id = idParam(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const reason = typeof body.reason === 'string' && body.reason.trim() !== '' ? body.reason : undefined;
    const parsed = RevealDecision.safeParse({ decision: body.decision, reason, beforeDeadline: body.beforeDeadline === 'on' });
    if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
    const r = await decideRevealRequest(kernel, req.brand!, actorOf(req), id, parsed.data, req.ip);
    res.redirect(303, `${revealBase(req.brand!)}/${id}?${new URLSearchParams({ flash: r.status, item: String(id) }).toString()}`);
  }));
}
