/**
 * Admin route of k-anonymous aggregate reports (WSM-8, WSM-14): GET …/modules/rights/aggregates?by=&by2=&kind=&k=,
 * figures only, every group below the brand's k suppressed. Readable by any key of the brand (auditors too); audited.
 */
import type { Router } from 'express';
import { validationError, zodIssues } from '../../../core/errors';
import { actorOf } from '../../../core/http/admin-auth';
import { resolveLocale, t } from '../../../core/i18n';
import { asyncRoute } from '../../../core/http/respond';
import type { Kernel } from '../../../core/kernel';
import { AggregateQuery, aggregateReport } from './aggregate-report';

/** Mounts the aggregates route on the module's admin router. */
export function aggregateRoutes(router: Router, kernel: Kernel): void {
  router.get('/aggregates', asyncRoute(async (req, res) => {
    const parsed = AggregateQuery.safeParse(req.query);
    if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
    const label = t(resolveLocale(req.headers['accept-language']), 'rights.aggregates.otherSuppressed');
    const report = await aggregateReport(kernel, req.brand!, parsed.data, label);
    await kernel.audit.record({
      brandId: req.brand!.id, actor: actorOf(req), action: 'rights.aggregates.read', targetType: 'rights_aggregates',
      details: { by: report.by, k: report.k, groups: report.groups.length, suppressed: report.suppressed }, ip: req.ip,
    });
    res.json({ ok: true, report });
  }));
}
