/**
 * Admin routes of the request queue, under /api/v1/admin/brands/:brand/modules/rights/: open, list (queue with due
 * flags; `?view=processor` adds reseller requests as processor), read with timeline, verify, extend, reject, fulfil,
 * send a removal order to the provider. Reads of a request are audited; writes need a write role.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { ExtendInput, RejectInput } from '../requests/request-inputs';
import { assertCanWrite } from '../../../core/apikeys/api-keys';
import { SuiteError } from '../../../core/errors';
import { actorOf } from '../../../core/http/admin-auth';
import { asyncRoute } from '../../../core/http/respond';
import type { Kernel } from '../../../core/kernel';
import { fulfilRequest } from '../requests/fulfil-request';
import { openRequest } from '../requests/open-request';
import { processorView } from '../requests/request-access';
import { extendRequest, rejectRequest, sendRemovalOrder, verifyRequest } from '../requests/request-actions';
import { requestEvents, requestRow, toRequest } from '../requests/request-store';
import { RequestInput, RequestStatus } from '../requests/request-types';
import { roleOf } from '../requests/routing';
import { listQueue } from '../requests/queue';
import { parseInput, idParam } from '../../../core/http/route-input';

const AdminVerified = z.enum(['manual', 'panel-session']).optional();
const Verify = z.object({ method: z.enum(['manual', 'panel-session']).default('manual') }).strict();
const Extend = ExtendInput.strict();
const Reject = RejectInput.strict();

/** Mounts the queue routes on the module's admin router. */
export function requestAdminRoutes(router: Router, kernel: Kernel): void {
  router.post('/requests', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const { verified: rawVerified, ...body } = (req.body ?? {}) as Record<string, unknown>;
    const verified = parseInput(AdminVerified, rawVerified);
    const input = parseInput(RequestInput, body);
    const actor = actorOf(req);
    const r = await openRequest(kernel, req.brand!, input, { source: 'admin', actor, ip: req.ip, verification: verified ? { method: verified } : undefined });
    res.status(201).json({ ok: true, request: r });
  }));
  router.get('/requests', asyncRoute(async (req, res) => {
    const status = typeof req.query.status === 'string' ? parseInput(RequestStatus, req.query.status) : undefined;
    const requests = await listQueue(kernel, req.brand!, { status, processor: req.query.view === 'processor', overdue: req.query.overdue === '1' || req.query.overdue === 'true' });
    await kernel.audit.record({ brandId: req.brand!.id, actor: actorOf(req), action: 'rights.queue.read', targetType: 'rights_queue', details: { count: requests.length }, ip: req.ip });
    res.json({ ok: true, requests });
  }));
  router.get('/requests/:id', asyncRoute(async (req, res) => {
    const row = await requestRow(kernel.db, idParam(req.params.id));
    const role = await roleOf(kernel, req.brand!, Number(row.queue_brand_id));
    if (role === null) throw new SuiteError('SUITE_RIGHTS_REQUEST_UNKNOWN', { id: row.id });
    const view = await toRequest(kernel, row);
    await kernel.audit.record({ brandId: req.brand!.id, actor: actorOf(req), action: 'rights.request.read', targetType: 'rights_request', targetId: row.id, details: { role }, ip: req.ip });
    if (role === 'processor') { res.json({ ok: true, request: processorView(view) }); return; }
    res.json({ ok: true, request: view, events: await requestEvents(kernel.db, row.id) });
  }));
  router.post('/requests/:id/verify', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const { method } = parseInput(Verify, req.body ?? {});
    res.json({ ok: true, request: await verifyRequest(kernel, req.brand!, idParam(req.params.id), method, actorOf(req), req.ip) });
  }));
  router.post('/requests/:id/extend', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    res.json({ ok: true, request: await extendRequest(kernel, req.brand!, idParam(req.params.id), parseInput(Extend, req.body ?? {}), actorOf(req), req.ip) });
  }));
  router.post('/requests/:id/reject', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    res.json({ ok: true, request: await rejectRequest(kernel, req.brand!, idParam(req.params.id), parseInput(Reject, req.body ?? {}).reason, actorOf(req)) });
  }));
  router.post('/requests/:id/fulfil', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    res.json({ ok: true, request: await fulfilRequest(kernel, req.brand!, idParam(req.params.id), actorOf(req), req.ip) });
  }));
  router.post('/requests/:id/removal-order', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    res.status(201).json({ ok: true, order: await sendRemovalOrder(kernel, req.brand!, idParam(req.params.id), actorOf(req), req.ip) });
  }));
}
