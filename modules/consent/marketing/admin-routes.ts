/** Admin routes for message classes (MS-7.2) and processing withdrawals awaiting a service-suspension decision (SP-6.1). */
import type { Router } from 'express';
import { z } from 'zod';
import { assertCanWrite } from '../../../core/apikeys/api-keys';
import { SuiteError, validationError, zodIssues, fieldIssue } from '../../../core/errors';
import { actorOf } from '../../../core/http/admin-auth';
import { asyncRoute } from '../../../core/http/respond';
import { idParam } from '../../../core/http/route-input';
import type { Kernel } from '../../../core/kernel';
import { createSignedLink } from '../../../core/links/signed-link';
import { listClasses, MessageClass, setClass } from '../messages/template-class';
import { WITHDRAW_LINK_PURPOSE } from '../withdrawal/withdraw-processing';
import { publicBaseUrl } from '../../../core/links/public-url';

/** Body of PUT /templates/:messagename. */
export const TemplateClassInput = z.object({ class: MessageClass, global: z.boolean().default(false) }).strict();

/** Body of PUT /withdrawals/:id. */
export const WithdrawalUpdate = z.object({ status: z.enum(['suspended', 'resolved', 'dismissed']) }).strict();

/** GET/PUT /templates[/:messagename], GET /withdrawals (?status=), PUT /withdrawals/:id, POST /subjects/:id/withdraw-link. */
export function marketingAdminRoutes(router: Router, kernel: Kernel): void {
  router.get('/templates', asyncRoute(async (req, res) => {
    res.json({ ok: true, templates: await listClasses(kernel.db, req.brand!), unknown: 'marketing' });
  }));
  router.put('/templates/:messagename', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const parsed = TemplateClassInput.safeParse(req.body ?? {});
    if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
    const name = req.params.messagename;
    if (name.length < 1 || name.length > 190) throw validationError([fieldIssue('messagename', 'validation.input.length', { min: 1, max: 190 })]);
    if (parsed.data.global && req.principal!.role !== 'owner') throw new SuiteError('SUITE_ROLE_FORBIDDEN', { role: req.principal!.role });
    const brandId = parsed.data.global ? null : req.brand!.id;
    await kernel.db.transaction(async (trx) => {
      await setClass(trx, brandId, name, parsed.data.class);
      await kernel.audit.record({ brandId: req.brand!.id, actor: actorOf(req), action: 'consent.template-class', targetType: 'template', targetId: name, details: { class: parsed.data.class, global: parsed.data.global }, ip: req.ip }, trx);
    });
    res.json({ ok: true, messagename: name, class: parsed.data.class, scope: brandId === null ? 'global' : 'brand' });
  }));

  router.get('/withdrawals', asyncRoute(async (req, res) => {
    let q = kernel.db('consent_withdrawals').where({ brand_id: req.brand!.id }).orderBy('id', 'desc').limit(500);
    if (typeof req.query.status === 'string') q = q.where({ status: req.query.status });
    const rows = (await q) as { id: number; subject_id: number; receipt_id: string; status: string; created_at: number; resolved_at: number | null }[];
    res.json({
      ok: true,
      withdrawals: rows.map((r) => ({ id: Number(r.id), subjectId: Number(r.subject_id), receiptId: r.receipt_id, status: r.status, step: 'service-suspension', createdAt: Number(r.created_at), resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at) })),
    });
  }));
  router.put('/withdrawals/:id', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const parsed = WithdrawalUpdate.safeParse(req.body ?? {});
    if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
    const id = idParam(req.params.id);
    await kernel.db.transaction(async (trx) => {
      const n = await trx('consent_withdrawals').where({ id, brand_id: req.brand!.id }).update({ status: parsed.data.status, resolved_at: Date.now() });
      if (!n) throw new SuiteError('SUITE_NOT_FOUND', { what: 'withdrawal', id: req.params.id });
      await kernel.audit.record({ brandId: req.brand!.id, actor: actorOf(req), action: 'consent.withdrawal-step', targetType: 'consent_withdrawal', targetId: id, details: { status: parsed.data.status }, ip: req.ip }, trx);
    });
    res.json({ ok: true, id, status: parsed.data.status });
  }));

  // A signed "withdraw processing consent" link for a subject (to hand to the customer, e.g. in a privacy-center email).
  router.post('/subjects/:id/withdraw-link', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const subjectId = idParam(req.params.id);
    const s = await kernel.db('subjects').where({ id: subjectId, brand_id: req.brand!.id }).first('id');
    if (!s) throw new SuiteError('SUITE_SUBJECT_UNKNOWN', { subject: req.params.id });
    const token = createSignedLink(kernel, { brandId: req.brand!.id, subjectId, purpose: WITHDRAW_LINK_PURPOSE, expiresAt: Date.now() + 30 * 24 * 3600 * 1000 });
    const url = `${publicBaseUrl(kernel, await kernel.brands.profile(req.brand!))}/b/${req.brand!.slug}/consent/withdraw?token=${encodeURIComponent(token)}`;
    res.json({ ok: true, url, token });
  }));
}
