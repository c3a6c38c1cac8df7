/**
 * The rules page: the brand's effective retention rules with their state, the counts of the newest dry run that
 * showed each rule's current definition, and its approval; writers run a dry run and approve a rule on the strength
 * of that dry run (SP-8: the sweep acts only on an approved definition). Below, the preset table for the brand's
 * country, to copy into the profile. Everything goes through RetentionService, as the admin API does.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { actorOf } from '../../../core/http/admin-auth';
import { adminForm, assertAdminCanWrite, flashMessage, sendAdminPage } from '../../../core/http/admin-kit';
import { asyncRoute } from '../../../core/http/respond';
import { idParam } from '../../../core/http/route-input';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { pageLocale, requireCsrf } from '../../../core/pages';
import { PrivacyProfile } from '../../../core/profile/schema';
import type { RuleReport } from '../sweep/run-report';
import type { RunView } from '../sweep/run-store';
import { effectiveRules, type EffectiveRule } from '../rules/effective-rules';
import { presetRules, statutoryPeriods } from '../rules/presets';
import { actorNames, brandOf, pageUrl, retentionOf } from './page-common';

/** The approve form: the dry run the admin looked at (the page offers approval only with one). */
const ApproveForm = z.object({ dryRunId: z.string().optional() });

/** The newest finished dry run (of those given, newest first) that showed this rule with this definition. */
function latestDryRun(dryRuns: RunView[], rule: { id: string; hash: string }): { run: RunView; report: RuleReport } | null {
  for (const run of dryRuns) {
    const report = run.report.brands[0]?.rules.find((r) => r.ruleId === rule.id && r.hash === rule.hash);
    if (report) return { run, report };
  }
  return null;
}

/** A rule's definition in the reader's words: category, period, action. */
function definitionView(locale: string, r: Pick<EffectiveRule, 'category' | 'from' | 'days' | 'action' | 'policyVersions' | 'inactiveMonths'>): Record<string, unknown> {
  return {
    category: t(locale, `policy.category.${r.category}`), from: r.from, days: r.days, action: t(locale, `retention.admin.action.${r.action}`),
    inactiveMonths: r.inactiveMonths, versions: r.policyVersions?.join(', ') ?? null,
  };
}

/** Mounts GET rules, POST rules/dry-run and POST rules/:ruleId/approve. */
export function rulePages(router: Router, kernel: Kernel): void {
  router.get('/rules', asyncRoute(async (req, res) => {
    const brand = brandOf(req);
    const locale = pageLocale(req, 'en');
    const svc = retentionOf(kernel);
    const rules = await svc.rules(brand, locale);
    const dryRuns = (await svc.runs(brand)).filter((r) => r.dryRun && r.state === 'finished');
    const who = await actorNames(kernel);
    const rows = rules.map((r) => {
      const dry = latestDryRun(dryRuns, r);
      return {
        id: r.id, ...definitionView(locale, r), state: r.state, stateLabel: t(locale, `retention.admin.ruleState.${r.state}`), invalidMessage: r.invalidMessage,
        approval: r.approval ? { by: who(r.approval.approvedBy), at: r.approval.approvedAt, dryRunId: r.approval.dryRunId, dryRunHref: r.approval.dryRunId ? pageUrl(brand, `runs/${r.approval.dryRunId}`) : null } : null,
        heldBy: r.heldBy.length ? r.heldBy.join(', ') : null,
        dry: dry ? { runId: dry.run.runId, href: pageUrl(brand, `runs/${dry.run.runId}`), at: dry.run.startedAt, eligible: dry.report.eligible, held: dry.report.held, restricted: dry.report.restricted } : null,
        approveAction: r.state === 'awaiting-approval' && dry ? pageUrl(brand, `rules/${encodeURIComponent(r.id)}/approve`) : null,
        needsDryRun: r.state === 'awaiting-approval' && !dry,
      };
    });
    const profile = await kernel.brands.profile(brand);
    const country = profile.controller?.country?.toUpperCase() ?? null;
    const inTable = new Set(rules.map((r) => r.id));
    // Parsed like a profile's table, so the preset shown is what the profile would store (as GET …/presets does).
    const presets = effectiveRules(PrivacyProfile.parse({ retention: presetRules(country) })).map((p) => ({ id: p.id, ...definitionView(locale, p), inTable: inTable.has(p.id) }));
    const flash = req.query.flash === 'approved' ? rules.some((r) => r.id === req.query.item) : dryRuns.some((r) => String(r.runId) === req.query.item);
    await sendAdminPage(kernel, req, res, 200, {
      page: 'admin/retention/rules', title: t(locale, 'retention.admin.rules.title', { brand: brand.name }), brand,
      view: {
        rules: rows, dryRunAction: pageUrl(brand, 'rules/dry-run'), presets, statutory: statutoryPeriods(country), country,
        flash: flash ? flashMessage(req, locale, { 'dry-run': 'retention.admin.rules.flash.dryRun', approved: 'retention.admin.rules.flash.approved' }) : null,
      },
    });
  }));

  router.post('/rules/dry-run', adminForm(), requireCsrf(kernel), asyncRoute(async (req, res) => {
    assertAdminCanWrite(req);
    const brand = brandOf(req);
    const out = await retentionOf(kernel).run({ dryRun: true, brand: brand.slug, actor: actorOf(req) });
    res.redirect(303, `${pageUrl(brand, 'rules')}?flash=dry-run&item=${out.run!.runId}`);
  }));

  router.post('/rules/:ruleId/approve', adminForm(), requireCsrf(kernel), asyncRoute(async (req, res) => {
    assertAdminCanWrite(req);
    const brand = brandOf(req);
    const form = ApproveForm.safeParse(req.body ?? {});
    const dryRunId = idParam(form.success ? form.data.dryRunId : undefined, 'dryRunId');
    const rule = await retentionOf(kernel).approve(brand, req.params.ruleId, { dryRunId }, actorOf(req), req.ip);
    res.redirect(303, `${pageUrl(brand, 'rules')}?${new URLSearchParams({ flash: 'approved', item: rule.id }).toString()}`);
  }));
}
