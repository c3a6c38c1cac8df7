/**
 * The runs pages: the brand's sweeps and dry runs (when, by whom, state, totals, error) and one run's report per
 * rule (cutoff, eligible, processed, records, held with the holds' numbers, restricted, failures, dry-run samples:
 * subject ids and dates only). Writers start a sweep (in the background, under the sweep's lease: a busy sweep is a
 * 409 page) or a dry run, through RetentionService as the admin API does.
 */
import type { Router } from 'express';
import { actorOf } from '../../../core/http/admin-auth';
import { adminForm, assertAdminCanWrite, flashMessage, sendAdminPage } from '../../../core/http/admin-kit';
import { asyncRoute } from '../../../core/http/respond';
import { idParam } from '../../../core/http/route-input';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { pageLocale, requireCsrf } from '../../../core/pages';
import { SWEEP_SCHEDULE } from '../settings';
import { nextDailyRun } from '../sweep/next-run';
import type { RuleReport } from '../sweep/run-report';
import type { RunView } from '../sweep/run-store';
import { actorNames, brandOf, pageUrl, retentionOf } from './page-common';

/** Why a rule stood where it stood, in the reader's words (invalid reasons have their own messages). */
function reasonOf(locale: string, r: RuleReport): string | null {
  if (!r.reason) return null;
  if (r.state === 'invalid') return t(locale, `retention.invalid.${r.reason}`);
  return ['held', 'definition-changed', 'rule-removed'].includes(r.reason) ? t(locale, `retention.admin.runs.reason.${r.reason}`) : r.reason;
}

/** A run's line in the list and the head of its report. */
function runLine(locale: string, run: RunView, who: (s: string | null) => string, href: string): Record<string, unknown> {
  return {
    id: run.runId, href, dryRun: run.dryRun, kind: t(locale, `retention.admin.runs.kind.${run.dryRun ? 'dry' : 'sweep'}`),
    state: run.state, stateLabel: t(locale, `retention.admin.runs.state.${run.state}`), actor: who(run.actor),
    startedAt: run.startedAt, finishedAt: run.finishedAt, asOf: run.asOf, error: run.error, totals: run.totals,
    awaiting: run.totals.awaitingApproval.map((s) => s.slice(s.indexOf('/') + 1)).join(', ') || null,
  };
}

/** Mounts GET runs, POST runs (a sweep, or a dry run with `dryRun=1`) and GET runs/:id. */
export function runPages(router: Router, kernel: Kernel): void {
  router.get('/runs', asyncRoute(async (req, res) => {
    const brand = brandOf(req);
    const locale = pageLocale(req, 'en');
    const who = await actorNames(kernel);
    const runs = (await retentionOf(kernel).runs(brand)).map((r) => runLine(locale, r, who, pageUrl(brand, `runs/${r.runId}`)));
    await sendAdminPage(kernel, req, res, 200, {
      page: 'admin/retention/runs', title: t(locale, 'retention.admin.runs.title', { brand: brand.name }), brand,
      view: { runs, startAction: pageUrl(brand, 'runs'), rulesHref: pageUrl(brand, 'rules'), nextRunAt: nextDailyRun(SWEEP_SCHEDULE), schedule: SWEEP_SCHEDULE },
    });
  }));

  router.post('/runs', adminForm({ limit: '2kb', fields: 4 }), requireCsrf(kernel), asyncRoute(async (req, res) => {
    assertAdminCanWrite(req);
    const brand = brandOf(req);
    const svc = retentionOf(kernel);
    const dry = (req.body as Record<string, unknown> | undefined)?.dryRun === '1';
    const runId = dry ? (await svc.run({ dryRun: true, brand: brand.slug, actor: actorOf(req) })).run!.runId : (await svc.startInBackground(brand, actorOf(req))).runId;
    res.redirect(303, `${pageUrl(brand, `runs/${runId}`)}?flash=${dry ? 'dry-run' : 'started'}&item=${runId}`);
  }));

  router.get('/runs/:id', asyncRoute(async (req, res) => {
    const brand = brandOf(req);
    const locale = pageLocale(req, 'en');
    const id = idParam(req.params.id);
    const run = await retentionOf(kernel).runOf(brand, id);
    const who = await actorNames(kernel);
    const rules = (run.report.brands[0]?.rules ?? []).map((r) => ({
      id: r.ruleId, category: t(locale, `policy.category.${r.category}`), action: t(locale, `retention.admin.action.${r.action}`),
      state: r.state, stateLabel: t(locale, `retention.admin.ruleState.${r.state}`), reason: reasonOf(locale, r), cutoff: r.cutoff,
      eligible: r.eligible, processed: r.processed, records: r.records, held: r.held, holds: r.holdIds.join(', ') || null, restricted: r.restricted,
      failed: r.failed, failures: Object.entries(r.failures).map(([code, n]) => ({ code, n })), samples: r.samples ?? [],
    }));
    await sendAdminPage(kernel, req, res, 200, {
      page: 'admin/retention/run', title: t(locale, 'retention.admin.run.title', { id: String(id), brand: brand.name }), brand,
      view: {
        run: runLine(locale, run, who, pageUrl(brand, `runs/${id}`)), rules, runsHref: pageUrl(brand, 'runs'),
        flash: String(id) === req.query.item ? flashMessage(req, locale, { started: 'retention.admin.runs.flash.started', 'dry-run': 'retention.admin.runs.flash.dryRun' }) : null,
      },
    });
  }));
}
