/** Admin routes per domain: PUT /domains/:domain/id-protection, PUT /domains/:domain/publish, POST /domains/:domain/publish-link. */
import type { Router } from 'express';
import { z } from 'zod';
import { assertCanWrite } from '../../../core/apikeys/api-keys';
import { SuiteError, validationError, fieldIssue } from '../../../core/errors';
import { actorOf } from '../../../core/http/admin-auth';
import { asyncRoute } from '../../../core/http/respond';
import type { Kernel } from '../../../core/kernel';
import { PUBLISH_FIELDS } from '../contacts/disclose';
import { publishLinkUrl } from '../publish/publish-link';
import type { RegistrantService } from '../registrant-service';
import { findDomain } from '../store/domain-store';
import { parseInput } from '../../../core/http/route-input';

const IdProtectionBody = z.object({ enabled: z.boolean() }).strict();
const PublishBody = z.object({ fields: z.array(z.enum(PUBLISH_FIELDS)).max(PUBLISH_FIELDS.length) }).strict();

/** Mounts the routes on the module's admin router (brand-scoped by the kernel). */
export function domainAdminRoutes(router: Router, kernel: Kernel): void {
  const service = () => kernel.service<RegistrantService>('registrant');
  const known = async (brandId: number, domain: string) => {
    const row = await findDomain(kernel.db, brandId, domain);
    if (!row) throw new SuiteError('SUITE_NOT_FOUND', { what: 'domain', id: domain });
    return row;
  };

  router.put('/domains/:domain/id-protection', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const body = parseInput(IdProtectionBody, req.body ?? {});
    const row = await known(req.brand!.id, req.params.domain);
    const { outboxId } = await service().setIdProtection(req.brand!, row.domain, body.enabled);
    await kernel.audit.record({ brandId: req.brand!.id, actor: actorOf(req), action: 'registrant.id-protection.set', targetType: 'domain', targetId: row.id, details: { enabled: body.enabled, outboxId }, ip: req.ip });
    res.json({ ok: true, domain: row.domain, idProtection: body.enabled, queued: outboxId !== null });
  }));

  router.put('/domains/:domain/publish', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const body = parseInput(PublishBody, req.body ?? {});
    const row = await known(req.brand!.id, req.params.domain);
    if (row.subjectId === null) throw validationError([fieldIssue('domain', 'validation.registrant.noRegistrantForConsent')]);
    const r = await service().consentToPublish(req.brand!, { subjectId: row.subjectId, domain: row.domain, fields: body.fields, method: 'admin-written', channel: 'panel', collectionPoint: 'admin', ip: req.ip?.slice(0, 64) });
    await kernel.audit.record({ brandId: req.brand!.id, actor: actorOf(req), action: 'registrant.publish-consent.recorded', targetType: 'domain', targetId: row.id, details: { fields: r.fields, receiptId: r.receiptId, outboxId: r.outboxId }, ip: req.ip });
    res.json({ ok: true, domain: row.domain, fields: r.fields, receiptId: r.receiptId, queued: r.outboxId !== null });
  }));

  router.post('/domains/:domain/publish-link', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const row = await known(req.brand!.id, req.params.domain);
    if (row.subjectId === null) throw validationError([fieldIssue('domain', 'validation.registrant.noRegistrantForLink')]);
    const link = publishLinkUrl(kernel, req.brand!, await kernel.brands.profile(req.brand!), row.domain, row.subjectId);
    await kernel.audit.record({ brandId: req.brand!.id, actor: actorOf(req), action: 'registrant.publish-link.created', targetType: 'domain', targetId: row.id, ip: req.ip });
    res.json({ ok: true, ...link });
  }));
}
