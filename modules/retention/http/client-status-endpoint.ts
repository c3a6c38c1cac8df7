/**
 * POST /api/v1/connector/client-status `{brand, userid}`, signed with the brand's hook secret like the hook API: the
 * WHMCS connector shows it on the admin's client summary. Only states, dates and counts — nothing the WHMCS admin does
 * not already see: the consent in force per purpose (given/withdrawn, when, which version), the marketing decision per
 * channel, the open rights requests with their due dates, whether processing is restricted, and the legal holds in
 * force. A client the suite does not know is 404. Lives here because retention sees consent, rights and holds.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { SuiteError, validationError, zodIssues } from '../../../core/errors';
import { asyncRoute } from '../../../core/http/respond';
import { requireSignedBody } from '../../../core/http/signed-request';
import type { Kernel } from '../../../core/kernel';
import { wInt } from '../../../hooks/catalogue/whmcs-types';
import type { ConsentService } from '../../consent/public';
import { holdActive } from '../holds/hold-store';

const Body = z.object({ brand: z.string().min(1), userid: wInt.refine((n) => n > 0, 'validation.type.integer') });
const CLOSED = ['fulfilled', 'rejected', 'cancelled'];

/** Mounts the endpoint on the module's root router. */
export function clientStatusEndpoint(router: Router, kernel: Kernel): void {
  router.post('/api/v1/connector/client-status', ...requireSignedBody(kernel, 'connector.client-status'), asyncRoute(async (req, res) => {
    const parsed = Body.safeParse(req.signedBody);
    if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
    const brand = req.brand!;
    const client = String(parsed.data.userid);
    const subject = await kernel.subjects.findByExternal(brand.id, 'client', client);
    if (!subject) throw new SuiteError('SUITE_NOT_FOUND', { what: 'client', id: client });
    const now = Date.now();
    const state = subject.status === 'erased' ? { purposes: {}, marketing: {} } : await kernel.service<ConsentService>('consent').stateFor(brand, subject.id);
    const consents = Object.entries(state.purposes).map(([purpose, s]) => ({ purpose, state: s!.action, at: s!.at, version: s!.documentVersion }));
    const marketing = Object.entries(state.marketing).map(([channel, d]) => ({ channel, allowed: d.allowed, reason: d.reason }));
    const requests = ((await kernel.db('rights_requests').where({ brand_id: brand.id, subject_id: subject.id }).whereNotIn('status', CLOSED).orderBy('due_at')
      .select('id', 'type', 'status', 'due_at')) as { id: number; type: string; status: string; due_at: number | string }[])
      .map((r) => ({ id: Number(r.id), type: r.type, status: r.status, dueAt: Number(r.due_at), overdue: Number(r.due_at) < now }));
    const holds = ((await kernel.db('retention_holds').where({ brand_id: brand.id }).whereNull('released_at')
      .where((q) => q.where({ scope: 'brand' }).orWhere({ scope: 'category' }).orWhere((s) => s.where({ scope: 'subject' }).andWhere((w) => w.where({ subject_id: subject.id }).orWhere({ root_id: subject.id }))))
      .select('scope', 'category', 'reason', 'expires_at', 'released_at')) as { scope: string; category: string | null; reason: string; expires_at: number | null; released_at: number | null }[])
      .filter((h) => holdActive(h, now))
      .map((h) => ({ scope: h.scope, category: h.category, reason: h.reason, expiresAt: h.expires_at === null ? null : Number(h.expires_at) }));
    res.set('Cache-Control', 'no-store').json({
      ok: true, client: Number(client), status: subject.status,
      consents, marketing, requests: { open: requests.length, list: requests },
      restricted: subject.restrictedAt !== null, restrictedAt: subject.restrictedAt, legalHold: holds.length > 0, holds,
    });
  }));
}
