/**
 * A sweep's report (SP-8): per brand and rule what it processed, what holds kept, what failed and why, and which
 * rules wait for approval. Counts, subject ids and dates only — never personal values.
 */
import type { DataCategory, RetentionEvent } from '../../../core/profile/schema';
import type { EffectiveRule, RuleScope } from '../rules/effective-rules';

/**
 * Where a rule stands in a run: pending → running → done; held (a brand or category hold); awaiting-approval and
 * invalid (never run); changed (its definition changed since the run began; it needs a new approval); would-run (dry run).
 */
export type RuleState = 'pending' | 'running' | 'done' | 'held' | 'awaiting-approval' | 'invalid' | 'changed' | 'would-run';

/** One sample of a dry run: who and since when (no personal values). */
export interface Sample { subjectId: number; eventAt: string | null }

/** One rule's part of the report. */
export interface RuleReport {
  ruleId: string; hash: string; category: DataCategory; from: RetentionEvent; days: number; action: string; scope: RuleScope;
  policyVersions: string[] | null; inactiveMonths: number | null;
  state: RuleState; reason: string | null;
  /** Events at or before this moment are processed. */
  cutoff: string | null;
  /** Subjects the rule would touch when it started (free of holds and restriction). */
  eligible: number;
  /** Subjects the rule acted on, and the records it changed (fields, module records; subjects for an anonymisation). */
  processed: number; records: number;
  /** Subjects kept by holds, and the ids of those holds (at most 50). */
  held: number; holdIds: number[];
  /** Subjects kept because their processing is restricted (SP-5.1: stored, not used, not deleted). */
  restricted: number;
  failed: number; failures: Record<string, number>;
  samples?: Sample[];
}

/** One brand's part of the report. */
export interface BrandReport { brandId: number; brand: string; rules: RuleReport[] }

/** The whole report. */
export interface RunReport { brands: BrandReport[] }

/** Where a run stands: the rule being processed and the last subject id of its last committed batch. */
export interface Checkpoint { brandId: number; ruleId: string; cursor: number }

/** A fresh rule report for a rule, in the state given. */
export function ruleReport(rule: EffectiveRule, state: RuleState, reason: string | null = null): RuleReport {
  return {
    ruleId: rule.id, hash: rule.hash, category: rule.category, from: rule.from, days: rule.days, action: rule.action, scope: rule.scope,
    policyVersions: rule.policyVersions, inactiveMonths: rule.inactiveMonths, state, reason, cutoff: null,
    eligible: 0, processed: 0, records: 0, held: 0, holdIds: [], restricted: 0, failed: 0, failures: {},
  };
}

/** Totals over the report (for the CLI line, the job's result and the audit entry). */
export function totalsOf(report: RunReport): { processed: number; records: number; held: number; restricted: number; failed: number; awaitingApproval: string[]; invalid: string[] } {
  const t = { processed: 0, records: 0, held: 0, restricted: 0, failed: 0, awaitingApproval: [] as string[], invalid: [] as string[] };
  for (const b of report.brands) {
    for (const r of b.rules) {
      t.processed += r.processed;
      t.records += r.records;
      t.held += r.held;
      t.restricted += r.restricted;
      t.failed += r.failed;
      if (r.state === 'awaiting-approval' || r.state === 'changed') t.awaitingApproval.push(`${b.brand}/${r.ruleId}`);
      if (r.state === 'invalid') t.invalid.push(`${b.brand}/${r.ruleId}`);
    }
  }
  return t;
}
