/**
 * Admin routes of a subject's restriction (SP-5.1), under /api/v1/admin/brands/:brand/modules/rights/:
 * GET /subjects/:id/restriction (state), POST /subjects/:id/restriction/lift {"reason"} (write role, audited).
 */
import type { Router } from 'express';
import { z } from 'zod';
import { assertCanWrite } from '../../../core/apikeys/api-keys';
import { validationError, zodIssues } from '../../../core/errors';
import { actorOf } from '../../../core/http/admin-auth';
import { asyncRoute } from '../../../core/http/respond';
import { idParam } from '../../../core/http/route-input';
import type { Kernel } from '../../../core/kernel';
import { liftRestriction, LiftReason, restrictionOf } from './lift-restriction';

/** Body of POST /subjects/:id/restriction/lift. */
export const LiftInput = z.object({ reason: LiftReason }).strict();

/** Mounts the restriction routes on the module's admin router. */
export function restrictAdminRoutes(router: Router, kernel: Kernel): void {
  router.get('/subjects/:id/restriction', asyncRoute(async (req, res) => {
    res.json({ ok: true, restriction: await restrictionOf(kernel, req.brand!, idParam(req.params.id)) });
  }));
  router.post('/subjects/:id/restriction/lift', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const id = idParam(req.params.id);
    const parsed = LiftInput.safeParse(req.body ?? {});
    if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
    res.json({ ok: true, restriction: await liftRestriction(kernel, req.brand!, id, parsed.data.reason, actorOf(req), req.ip) });
  }));
}
