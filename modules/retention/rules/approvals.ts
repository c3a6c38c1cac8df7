/**
 * The approval gate (SP-8): a rule's first real run needs an admin's approval of its exact definition (its hash),
 * ideally after a dry run that showed what it would do; a changed rule has a new hash and waits for a new approval.
 */
import type { Knex } from 'knex';
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import { loadRun } from '../sweep/run-store';
import type { EffectiveRule } from './effective-rules';

/** One approval of one rule definition. */
export interface Approval { ruleId: string; hash: string; approvedBy: string; approvedAt: string; dryRunId: number | null }

interface ApprovalRow { rule_id: string; rule_hash: string; approved_by: string; approved_at: number; dry_run_id: number | null }

const key = (ruleId: string, hash: string): string => `${ruleId}\u0000${hash}`;

/** Every approval of the brand, by rule id and hash. */
export async function approvalsOf(db: Knex | Knex.Transaction, brandId: number): Promise<Map<string, Approval>> {
  const rows = (await db('retention_approvals').where({ brand_id: brandId }).orderBy('id')) as ApprovalRow[];
  return new Map(rows.map((r) => [key(r.rule_id, r.rule_hash), {
    ruleId: r.rule_id, hash: r.rule_hash, approvedBy: r.approved_by, approvedAt: new Date(Number(r.approved_at)).toISOString(), dryRunId: r.dry_run_id === null ? null : Number(r.dry_run_id),
  }]));
}

/** The approval of a rule's current definition, if any. */
export function approvalOf(approvals: Map<string, Approval>, rule: Pick<EffectiveRule, 'id' | 'hash'>): Approval | null {
  return approvals.get(key(rule.id, rule.hash)) ?? null;
}

/** Checks that a dry run of this brand showed this rule with this definition. */
async function assertDryRunShowed(kernel: Kernel, brand: Brand, rule: EffectiveRule, dryRunId: number): Promise<void> {
  const run = await loadRun(kernel.db, dryRunId, brand.id).catch(() => undefined);
  const shown = run?.dryRun && run.state === 'finished' && run.report.brands.some((b) => b.brandId === brand.id && b.rules.some((r) => r.ruleId === rule.id && r.hash === rule.hash));
  if (!shown) throw new SuiteError('SUITE_RETENTION_DRY_RUN_MISMATCH', { id: dryRunId, rule: rule.id });
}

/** Approves the rule's current definition (audited); approving an approved definition again changes nothing. */
export async function approveRule(kernel: Kernel, brand: Brand, rule: EffectiveRule, input: { dryRunId?: number }, actor: Actor, ip?: string): Promise<Approval> {
  if (rule.invalid) throw new SuiteError('SUITE_RETENTION_RULE_INVALID', { rule: rule.id, reason: rule.invalid });
  if (input.dryRunId !== undefined) await assertDryRunShowed(kernel, brand, rule, input.dryRunId);
  const existing = approvalOf(await approvalsOf(kernel.db, brand.id), rule);
  if (existing) return existing;
  await kernel.db.transaction(async (trx) => {
    await trx('retention_approvals').insert({ brand_id: brand.id, rule_id: rule.id, rule_hash: rule.hash, dry_run_id: input.dryRunId ?? null, approved_by: `${actor.type}:${actor.id}`.slice(0, 80), approved_at: Date.now() });
    await kernel.audit.record({ brandId: brand.id, actor, action: 'retention.rule.approved', targetType: 'retention_rule', targetId: rule.id, details: { hash: rule.hash, dryRunId: input.dryRunId ?? null, category: rule.category, from: rule.from, days: rule.days, action: rule.action }, ip }, trx);
  });
  return approvalOf(await approvalsOf(kernel.db, brand.id), rule)!;
}
