/**
 * What the sweep resolves about a brand before any transaction opens (SQLite has one connection): its effective
 * rules, their approvals, the module's settings for it, and which tables the event SQL may read.
 */
import type { Knex } from 'knex';
import type { Brand } from '../../../core/brands/brand';
import { dialectOfKnex } from '../../../core/db/connection';
import type { Kernel } from '../../../core/kernel';
import type { SqlEnv } from '../events/event-sql';
import { ruleSelection } from '../events/candidates';
import { approvalOf, approvalsOf, type Approval } from '../rules/approvals';
import { effectiveRules, type EffectiveRule } from '../rules/effective-rules';
import type { WideHolds } from '../holds/hold-store';
import { moduleSettings } from '../../../core/profile/module-settings';
import { RetentionSettings } from '../settings';
import { countRule, samplesOf } from './rule-queries';
import { ruleReport, type RuleReport, type RuleState } from './run-report';

/** A brand as the sweep sees it. */
export interface BrandContext { brand: Brand; rules: EffectiveRule[]; approvals: Map<string, Approval>; settings: RetentionSettings; env: SqlEnv }

/** The SQL environment of this installation. */
export function sqlEnv(kernel: Kernel): SqlEnv {
  return { dialect: dialectOfKnex(kernel.db), platform: Boolean(kernel.modules.get('platform')), consent: Boolean(kernel.modules.get('consent')) };
}

/** Resolves a brand's rules, approvals and settings. */
export async function brandContext(kernel: Kernel, brand: Brand): Promise<BrandContext> {
  const profile = await kernel.brands.profile(brand);
  const settings = moduleSettings(RetentionSettings, profile, 'retention');
  return { brand, rules: effectiveRules(profile), approvals: await approvalsOf(kernel.db, brand.id), settings, env: sqlEnv(kernel) };
}

/** The state a rule enters a run in: invalid, waiting for approval, or ready (pending; 'would-run' in a dry run). */
export function plannedState(ctx: BrandContext, rule: EffectiveRule, dryRun: boolean): { state: RuleState; reason: string | null } {
  if (rule.invalid) return { state: 'invalid', reason: rule.invalid };
  if (!approvalOf(ctx.approvals, rule)) return { state: 'awaiting-approval', reason: null };
  return { state: dryRun ? 'would-run' : 'pending', reason: null };
}

/** The report skeleton of a brand: every rule in run order, in its planned state. */
export function plannedRules(ctx: BrandContext, dryRun: boolean): RuleReport[] {
  return ctx.rules.map((r) => {
    const p = plannedState(ctx, r, dryRun);
    return ruleReport(r, p.state, p.reason);
  });
}

/** The holds that keep a whole rule out: a brand hold, or a hold on the rule's category. */
export function wideHoldIds(rule: EffectiveRule, wide: WideHolds): number[] {
  return [...wide.brand, ...(wide.categories.get(rule.category) ?? [])];
}

/** Counts a rule at the start (and for a dry run, samples it); a rule kept out by a wide hold counts every candidate as held. */
export async function startRule(db: Knex | Knex.Transaction, ctx: BrandContext, rule: EffectiveRule, asOf: number, wide: WideHolds, samples = 0): Promise<Partial<RuleReport>> {
  const sel = ruleSelection(ctx.env, rule, ctx.brand.id, asOf, [...wide.categories.keys()]);
  const cutoff = new Date(sel.cutoff).toISOString();
  const whole = wideHoldIds(rule, wide);
  if (whole.length) {
    const all = await countRule(db, ruleSelection(ctx.env, rule, ctx.brand.id, asOf, []), ctx.brand.id, asOf, new Map());
    return { state: 'held', reason: 'held', cutoff, eligible: 0, held: all.eligible + all.held + all.restricted, holdIds: whole, restricted: 0 };
  }
  const c = await countRule(db, sel, ctx.brand.id, asOf, rule.scope === 'subject' ? wide.categories : new Map());
  const out: Partial<RuleReport> = { cutoff, eligible: c.eligible, held: c.held, holdIds: c.holdIds, restricted: c.restricted };
  if (samples) out.samples = await samplesOf(db, sel, samples);
  return out;
}
