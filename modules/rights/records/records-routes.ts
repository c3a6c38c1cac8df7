/**
 * Admin route of the records of processing (Art. 30): GET …/modules/rights/records-of-processing[?format=json|csv|html]
 * for the brand, generated on request from its effective profile and the modules. Readable by any key of the brand; audited.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { validationError, zodIssues } from '../../../core/errors';
import { actorOf } from '../../../core/http/admin-auth';
import { resolveLocale } from '../../../core/i18n';
import { asyncRoute } from '../../../core/http/respond';
import type { Kernel } from '../../../core/kernel';
import { recordsCsv, recordsHtml } from './records-format';
import { recordsOfProcessing } from './records-of-processing';

const Query = z.object({ format: z.enum(['json', 'csv', 'html']).default('json'), lang: z.string().max(16).optional() }).strict();

/** Mounts the records-of-processing route on the module's admin router. */
export function recordsRoutes(router: Router, kernel: Kernel): void {
  router.get('/records-of-processing', asyncRoute(async (req, res) => {
    const parsed = Query.safeParse(req.query);
    if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
    const { format, lang } = parsed.data;
    const locale = resolveLocale(lang ?? req.headers['accept-language']);
    const record = await recordsOfProcessing(kernel, req.brand!, locale);
    await kernel.audit.record({ brandId: req.brand!.id, actor: actorOf(req), action: 'rights.records.read', targetType: 'brand', targetId: req.brand!.slug, details: { format }, ip: req.ip });
    const file = `records-of-processing-${req.brand!.slug}`;
    if (format === 'csv') {
      res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${file}.csv"` }).send(recordsCsv(record, locale));
    } else if (format === 'html') {
      res.set({ 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" }).send(recordsHtml(record, locale));
    } else {
      res.json({ ok: true, record });
    }
  }));
}
