/** Admin routes of legal holds: place one, list them (audited read), release one (write role, audited). */
import type { Router } from 'express';
import { z } from 'zod';
import { assertCanWrite } from '../../../core/apikeys/api-keys';
import { actorOf } from '../../../core/http/admin-auth';
import { asyncRoute } from '../../../core/http/respond';
import { idParam, parseInput } from '../../../core/http/route-input';
import type { Kernel } from '../../../core/kernel';
import { HoldInput } from '../holds/hold-store';
import type { RetentionService } from '../retention-service';

/** The query of GET …/holds: `?active=1` for holds in force only. */
export const HoldQuery = z.object({ active: z.enum(['0', '1', 'true', 'false']).optional() });

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A hold with ISO dates. */
function view(h: Awaited<ReturnType<RetentionService['hold']>>): Record<string, unknown> {
  return { ...h, expiresAt: iso(h.expiresAt), createdAt: iso(h.createdAt), releasedAt: iso(h.releasedAt) };
}

/** Mounts the hold routes. */
export function holdRoutes(router: Router, kernel: Kernel): void {
  const svc = (): RetentionService => kernel.service<RetentionService>('retention');
  router.post('/holds', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const input = parseInput(HoldInput, req.body ?? {});
    res.status(201).json({ ok: true, hold: view(await svc().hold(req.brand!, input, actorOf(req), req.ip)) });
  }));
  router.get('/holds', asyncRoute(async (req, res) => {
    const q = parseInput(HoldQuery, req.query);
    const holds = await svc().holds(req.brand!, { active: q.active === '1' || q.active === 'true' });
    await kernel.audit.record({ brandId: req.brand!.id, actor: actorOf(req), action: 'retention.holds.read', targetType: 'retention_hold', details: { count: holds.length }, ip: req.ip });
    res.json({ ok: true, holds: holds.map(view) });
  }));
  router.post('/holds/:id/release', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    res.json({ ok: true, hold: view(await svc().release(req.brand!, idParam(req.params.id), actorOf(req), req.ip)) });
  }));
}
