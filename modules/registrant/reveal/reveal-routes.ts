/** Admin routes of the reveal workflow (WSM-17): POST/GET /reveal-requests, POST /reveal-requests/:id/decision (disclose, suspend, reject, lift). */
import type { Router } from 'express';
import { assertCanWrite } from '../../../core/apikeys/api-keys';
import { validationError, zodIssues } from '../../../core/errors';
import { actorOf } from '../../../core/http/admin-auth';
import { resolveLocale, t } from '../../../core/i18n';
import { asyncRoute } from '../../../core/http/respond';
import { idParam } from '../../../core/http/route-input';
import type { Kernel } from '../../../core/kernel';
import { decideRevealRequest } from './decide-request';
import { listRevealRequests } from './list-requests';
import { openRevealRequest } from './open-request';
import { RevealComplaint, RevealDecision } from './reveal-input';
import type { HoldOutcome } from './suspension';

/** The hold's outcome in words for the admin (registrant.hold.<suspend|lift>.<queued|notSent|kept>). */
function holdMessage(locale: string, decision: string, h: HoldOutcome): string {
  const state = h.state === 'not-sent' ? 'notSent' : h.state;
  return t(locale, `registrant.hold.${decision === 'lift' ? 'lift' : 'suspend'}.${state}`, { requests: (h.heldBy ?? []).join(', ') });
}

/** Mounts the routes on the module's admin router. */
export function revealAdminRoutes(router: Router, kernel: Kernel): void {
  router.post('/reveal-requests', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const parsed = RevealComplaint.safeParse(req.body ?? {});
    if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
    const r = await openRevealRequest(kernel, req.brand!, actorOf(req), parsed.data, req.ip);
    res.status(201).json({ ok: true, id: r.id, status: 'notice-sent', deadlineAt: r.deadlineAt, noticeQueued: r.noticeId !== null });
  }));
  router.get('/reveal-requests', asyncRoute(async (req, res) => {
    const requests = await listRevealRequests(kernel, req.brand!, typeof req.query.status === 'string' ? req.query.status : undefined);
    await kernel.audit.record({ brandId: req.brand!.id, actor: actorOf(req), action: 'registrant.reveal.read', targetType: 'reveal_request', details: { count: requests.length }, ip: req.ip });
    res.json({ ok: true, requests });
  }));
  router.post('/reveal-requests/:id/decision', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const parsed = RevealDecision.safeParse(req.body ?? {});
    if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
    const id = idParam(req.params.id);
    const r = await decideRevealRequest(kernel, req.brand!, actorOf(req), id, parsed.data, req.ip);
    const hold = r.registryHold && { ...r.registryHold, message: holdMessage(resolveLocale(req.get('accept-language')), parsed.data.decision, r.registryHold) };
    res.json({ ok: true, ...r, ...(hold ? { registryHold: hold } : {}) });
  }));
}
