/**
 * Admin routes of partner exports (WSM-13), under /api/v1/admin/brands/:brand/modules/rights/: build an export for a
 * registered partner (streamed as JSON or CSV, batch by batch, each batch logged as disclosures first) and list past
 * exports (counts and field names, never values). Needs a write role; start and end are audited.
 */
import type { Response, Router } from 'express';
import { assertCanWrite } from '../../../core/apikeys/api-keys';
import { csvCell as csvCellOf, csvLine, csvRows } from '../../../core/csv';
import { validationError, zodIssues } from '../../../core/errors';
import { actorOf } from '../../../core/http/admin-auth';
import { asyncRoute } from '../../../core/http/respond';
import type { Kernel } from '../../../core/kernel';
import { finishPartnerExport, partnerBatches, planPartnerExport, PartnerExportInput, startPartnerExport, type PartnerRow } from './partner-export';

/** A partner's feed keeps plain phone numbers and signed amounts as written (its import reads them); formulas are defused. */
const FEED = { keepSignedNumbers: true } as const;

/** One CSV cell of a partner feed (core/csv.ts). */
export function csvCell(value: string | undefined): string {
  return csvCellOf(value, FEED);
}

function write(res: Response, chunk: string): Promise<void> {
  return res.write(chunk) ? Promise.resolve() : new Promise((resolve) => res.once('drain', () => resolve()));
}

function formatRows(rows: PartnerRow[], fields: string[], csv: boolean, first: boolean): string {
  if (csv) return csvRows(rows.map((r) => fields.map((f) => r[f])), FEED);
  return rows.map((r, i) => `${first && i === 0 ? '' : ','}${JSON.stringify(r)}`).join('');
}

/** Mounts the partner export routes on the module's admin router. */
export function partnerExportRoutes(router: Router, kernel: Kernel): void {
  router.post('/partner-exports', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const parsed = PartnerExportInput.safeParse(req.body ?? {});
    if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
    const plan = await planPartnerExport(kernel, req.brand!, parsed.data);
    const actor = actorOf(req);
    const id = await startPartnerExport(kernel, plan, actor, req.ip);
    const csv = plan.format === 'csv';
    const tally = { subjects: 0, skipped: 0 };
    res.status(200).set({
      'Content-Type': csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="partner-export-${id}.${plan.format}"`,
      'Cache-Control': 'no-store',
      'X-Partner-Export-Id': String(id),
    });
    const head = { id, recipient: plan.recipient.code, purpose: plan.purpose, categories: plan.categories, dropped: plan.dropped, fields: plan.fields };
    try {
      await write(res, csv ? csvLine(plan.fields, FEED) : `{"ok":true,"export":${JSON.stringify(head)},"subjects":[`);
      let first = true;
      for await (const rows of partnerBatches(kernel, plan, id, actor, tally)) {
        if (res.destroyed) break;
        await write(res, formatRows(rows, plan.fields, csv, first));
        first = false;
      }
      await finishPartnerExport(kernel, plan, id, res.destroyed ? 'failed' : 'done', tally, actor);
      res.end(csv ? '' : `],"count":${tally.subjects},"skipped":${tally.skipped}}`);
    } catch (err) {
      kernel.log.error({ code: (err as Error).name, exportId: id }, 'partner export failed mid-stream');
      await finishPartnerExport(kernel, plan, id, 'failed', tally, actor).catch(() => undefined);
      res.destroy();
    }
  }));
  router.get('/partner-exports', asyncRoute(async (req, res) => {
    const rows = (await kernel.db('rights_partner_exports').where({ brand_id: req.brand!.id }).orderBy('id', 'desc').limit(200)) as Record<string, unknown>[];
    const exports = rows.map((r) => ({
      id: Number(r.id), recipient: r.recipient, purpose: r.purpose, categories: JSON.parse(r.categories as string) as string[], fields: JSON.parse(r.fields as string) as string[],
      format: r.format, state: r.state, subjects: Number(r.subjects), skipped: Number(r.skipped), actor: r.actor, createdAt: Number(r.created_at),
      finishedAt: r.finished_at === null ? null : Number(r.finished_at),
    }));
    await kernel.audit.record({ brandId: req.brand!.id, actor: actorOf(req), action: 'rights.partner-export.list', targetType: 'rights_partner_export', details: { count: exports.length }, ip: req.ip });
    res.json({ ok: true, exports });
  }));
}
