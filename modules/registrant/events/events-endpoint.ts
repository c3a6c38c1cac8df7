/**
 * POST /api/v1/registrant/events `{brand, after?, limit?}`, signed exactly like the hook API and /contacts, so the
 * WHMCS connector uses its one signing function (a GET would need a second, query-string signature scheme): the
 * brand's `domain.suspended` / `domain.unsuspended` events numbered above `after`, oldest first. The connector keeps
 * the last `id` it acted on and passes it back as `after`.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { SuiteError, validationError, zodIssues } from '../../../core/errors';
import { asyncRoute } from '../../../core/http/respond';
import { requireSignedBody } from '../../../core/http/signed-request';
import type { Kernel } from '../../../core/kernel';
import { listDomainEvents } from './domain-events';

const Body = z.object({
  brand: z.string().min(1),
  after: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
}).strict();

/** Mounts the feed on the module's root router. */
export function eventsEndpoint(router: Router, kernel: Kernel): void {
  router.post('/api/v1/registrant/events', ...requireSignedBody(kernel, 'registrant.events'), asyncRoute(async (req, res) => {
    const brand = req.brand!;
    if (!(await kernel.modules.enabledFor(kernel.brands, brand, 'registrant'))) throw new SuiteError('SUITE_MODULE_DISABLED', { module: 'registrant', brand: brand.slug });
    const parsed = Body.safeParse(req.signedBody);
    if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
    const { events, more } = await listDomainEvents(kernel.db, brand.id, parsed.data.after, parsed.data.limit);
    res.json({ ok: true, events, next: events.at(-1)?.id ?? parsed.data.after, more });
  }));
}
