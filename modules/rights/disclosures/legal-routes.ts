/**
 * Admin routes of legal disclosures (MS-5.2, WSM-15), under /api/v1/admin/brands/:brand/modules/rights/: record an
 * authority's request, decide it with another key (four eyes; the answer carries the released values once), list and
 * read requests (never values). Writes need a write role; every step and every read is audited.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { assertCanWrite } from '../../../core/apikeys/api-keys';
import { actorOf } from '../../../core/http/admin-auth';
import { asyncRoute } from '../../../core/http/respond';
import type { Kernel } from '../../../core/kernel';
import { disclosureRow, listDisclosures, toDisclosure } from './disclosure-store';
import { DecisionInput, DisclosureInput } from './disclosure-types';
import { decideDisclosure, requestDisclosure } from './legal-disclosure';
import { parseInput, idParam } from '../../../core/http/route-input';

const Status = z.enum(['pending', 'approved', 'refused']);

/** Mounts the legal disclosure routes on the module's admin router. */
export function legalDisclosureRoutes(router: Router, kernel: Kernel): void {
  router.post('/disclosures', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const input = parseInput(DisclosureInput, req.body ?? {});
    res.status(201).json({ ok: true, disclosure: await requestDisclosure(kernel, req.brand!, input, actorOf(req), req.ip) });
  }));
  router.post('/disclosures/:id/decision', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const id = idParam(req.params.id);
    const input = parseInput(DecisionInput, req.body ?? {});
    const r = await decideDisclosure(kernel, req.brand!, id, input, actorOf(req), req.ip);
    res.set('Cache-Control', 'no-store').json({ ok: true, disclosure: r.disclosure, package: r.package });
  }));
  router.get('/disclosures', asyncRoute(async (req, res) => {
    const status = typeof req.query.status === 'string' ? parseInput(Status, req.query.status) : undefined;
    const disclosures = await listDisclosures(kernel, req.brand!.id, { status });
    await kernel.audit.record({ brandId: req.brand!.id, actor: actorOf(req), action: 'rights.disclosure.list', targetType: 'rights_disclosure', details: { count: disclosures.length }, ip: req.ip });
    res.json({ ok: true, disclosures });
  }));
  router.get('/disclosures/:id', asyncRoute(async (req, res) => {
    const d = await toDisclosure(kernel, await disclosureRow(kernel.db, req.brand!.id, idParam(req.params.id)));
    await kernel.audit.record({ brandId: req.brand!.id, actor: actorOf(req), action: 'rights.disclosure.read', targetType: 'rights_disclosure', targetId: d.id, ip: req.ip });
    res.json({ ok: true, disclosure: d });
  }));
}
