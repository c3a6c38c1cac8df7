/**
 * Admin routes of erasure, under /api/v1/admin/brands/:brand/modules/rights/: start a bulk erasure run (processed in
 * the background, one subject per transaction) and read its progress; list flagged minors and erase one (WSM-22).
 */
import type { Router } from 'express';
import { z } from 'zod';
import { assertCanWrite } from '../../../core/apikeys/api-keys';
import { actorOf } from '../../../core/http/admin-auth';
import { asyncRoute } from '../../../core/http/respond';
import type { Kernel } from '../../../core/kernel';
import { createErasureRun, runStatus } from './erasure-runs';
import { eraseMinor, flaggedMinors, MinorErasure } from './minor-erasure';
import { runInBackground } from './run-background';
import { parseInput, idParam } from '../../../core/http/route-input';

/** The body of POST /erasure-runs. */
export const ErasureRunInput = z.object({ subjectIds: z.array(z.number().int().positive()).min(1, 'validation.rights.subjectsRequired').max(10_000, 'validation.rights.runTooLarge') }).strict();

/** Mounts the erasure routes on the module's admin router. */
export function erasureAdminRoutes(router: Router, kernel: Kernel): void {
  router.post('/erasure-runs', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const { subjectIds } = parseInput(ErasureRunInput, req.body ?? {});
    const runId = await createErasureRun(kernel, req.brand!, subjectIds, actorOf(req));
    runInBackground(kernel, runId);
    res.status(202).json({ ok: true, run: await runStatus(kernel, req.brand!, runId) });
  }));
  router.get('/erasure-runs/:id', asyncRoute(async (req, res) => {
    res.json({ ok: true, run: await runStatus(kernel, req.brand!, idParam(req.params.id)) });
  }));
  router.get('/minors', asyncRoute(async (req, res) => {
    const minors = await flaggedMinors(kernel, req.brand!);
    await kernel.audit.record({ brandId: req.brand!.id, actor: actorOf(req), action: 'rights.minors.read', targetType: 'rights_minors', details: { count: minors.length }, ip: req.ip });
    res.json({ ok: true, minors });
  }));
  router.post('/minors/erase', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const input = parseInput(MinorErasure, req.body ?? {});
    res.json({ ok: true, reason: 'minor', request: await eraseMinor(kernel, req.brand!, input, actorOf(req), req.ip) });
  }));
}
