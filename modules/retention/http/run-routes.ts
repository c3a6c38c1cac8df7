/**
 * Admin routes of runs: POST …/runs `{dryRun: true}` answers the dry run's report at once (read-only, fast: counts
 * and samples); `{dryRun: false}` (the default) takes the sweep's lease, answers 202 with the run, and processes it
 * in the background (409 SUITE_RETENTION_BUSY while another run holds the lease). GET …/runs[/:id] show reports.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { assertCanWrite } from '../../../core/apikeys/api-keys';
import { actorOf } from '../../../core/http/admin-auth';
import { asyncRoute } from '../../../core/http/respond';
import { idParam, parseInput } from '../../../core/http/route-input';
import type { Kernel } from '../../../core/kernel';
import type { RetentionService } from '../retention-service';

/** The body of POST …/runs. */
export const RunInput = z.object({ dryRun: z.boolean().default(false) }).strict();

/** Mounts the run routes. */
export function runRoutes(router: Router, kernel: Kernel): void {
  const svc = (): RetentionService => kernel.service<RetentionService>('retention');
  router.post('/runs', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const { dryRun } = parseInput(RunInput, req.body ?? {});
    if (dryRun) {
      const out = await svc().run({ dryRun: true, brand: req.brand!.slug, actor: actorOf(req) });
      res.status(201).json(out);
      return;
    }
    const { runId } = await svc().startInBackground(req.brand!, actorOf(req));
    res.status(202).json({ ok: true, run: await svc().runOf(req.brand!, runId) });
  }));
  router.get('/runs', asyncRoute(async (req, res) => {
    res.json({ ok: true, runs: await svc().runs(req.brand!) });
  }));
  router.get('/runs/:id', asyncRoute(async (req, res) => {
    res.json({ ok: true, run: await svc().runOf(req.brand!, idParam(req.params.id)) });
  }));
}
