/**
 * A brand's retention rules as the sweep runs them: each profile rule with its stable id, its definition hash (an
 * approval is for one hash), what it touches (the whole subject, one category's fields, or billing fields), and why
 * it can never run if it makes no sense. Rules with `policyVersions` take their versions' records away from the
 * general rule of the same category (SP-4).
 */
import crypto from 'node:crypto';
import type { DataCategory, PrivacyProfile, RetentionEvent, RetentionRule } from '../../../core/profile/schema';

/** What a rule's action touches: the whole subject (anonymised by the rights erasure), one category's records, or billing fields. */
export type RuleScope = 'subject' | 'fields' | 'billing';

/** A rule ready for the sweep. */
export interface EffectiveRule {
  id: string;
  hash: string;
  category: DataCategory;
  from: RetentionEvent;
  days: number;
  action: 'delete' | 'anonymise' | 'strip';
  policyVersions: string[] | null;
  inactiveMonths: number | null;
  scope: RuleScope;
  /** For a general rule: the versions that versioned rules of its category govern instead (their records are not this rule's). */
  excludeVersions: string[];
  /** Why the rule can never run (a reason code), or null. */
  invalid: string | null;
}

/** The rule's definition as approved: what the hash covers. */
function definition(r: RetentionRule): Record<string, unknown> {
  return {
    category: r.category, from: r.from === 'last-activity' ? 'last-login' : r.from, days: r.days, action: r.action,
    policyVersions: r.policyVersions ? [...r.policyVersions].sort() : null, inactiveMonths: r.inactiveMonths ?? null,
  };
}

/** The sha256 of a rule's definition: changing the rule changes it, so it needs a new approval. */
export function ruleHash(r: RetentionRule): string {
  return crypto.createHash('sha256').update(JSON.stringify(definition(r))).digest('hex');
}

const slug = (v: string): string => v.toLowerCase().replace(/[^a-z0-9._-]+/g, '_');

/** The id of a rule: its own `id`, else category:from:action with the versions and the inactivity months. */
export function ruleId(r: RetentionRule): string {
  if (r.id) return r.id;
  let id = `${r.category}:${r.from}:${r.action}`;
  if (r.policyVersions?.length) id += `:v-${[...r.policyVersions].sort().map(slug).join('+')}`;
  if (r.inactiveMonths) id += `:inactive-${r.inactiveMonths}m`;
  return id.slice(0, 80);
}

/** What the rule's action touches. */
export function scopeOf(r: Pick<RetentionRule, 'category'>): RuleScope {
  if (r.category === 'contact') return 'subject';
  return r.category === 'billing' ? 'billing' : 'fields';
}

const INACTIVE_EVENTS = new Set<RetentionEvent>(['invoice-paid', 'last-login', 'last-activity']);
const ORDER: Record<RuleScope, number> = { subject: 0, fields: 1, billing: 2 };

/** Why a rule cannot run, or null. */
function invalidity(r: RetentionRule): string | null {
  if (r.action === 'strip' && r.category !== 'billing') return 'strip-only-for-billing';
  if (r.inactiveMonths !== undefined && r.category !== 'contact') return 'inactive-only-for-contact';
  if (r.inactiveMonths !== undefined && !INACTIVE_EVENTS.has(r.from)) return 'inactive-needs-payment-or-activity-event';
  return null;
}

/** The brand's effective rules in the order the sweep runs them: whole subjects first, then categories, then billing. */
export function effectiveRules(profile: PrivacyProfile): EffectiveRule[] {
  const seen = new Set<string>();
  const versioned = new Map<DataCategory, Set<string>>();
  const out: (EffectiveRule & { index: number })[] = profile.retention.map((r, index) => {
    const id = ruleId(r);
    let invalid = invalidity(r);
    if (!invalid && seen.has(id)) invalid = 'duplicate-id';
    seen.add(id);
    if (!invalid && r.policyVersions) {
      const taken = versioned.get(r.category) ?? new Set<string>();
      if (r.policyVersions.some((v) => taken.has(v))) invalid = 'policy-versions-overlap';
      else for (const v of r.policyVersions) taken.add(v);
      versioned.set(r.category, taken);
    }
    return {
      id, hash: ruleHash(r), category: r.category, from: r.from, days: r.days, action: r.action,
      policyVersions: r.policyVersions ? [...r.policyVersions] : null, inactiveMonths: r.inactiveMonths ?? null,
      scope: scopeOf(r), excludeVersions: [], invalid, index,
    };
  });
  for (const r of out) if (!r.policyVersions) r.excludeVersions = [...(versioned.get(r.category) ?? [])].sort();
  return out.sort((a, b) => ORDER[a.scope] - ORDER[b.scope] || a.index - b.index).map(({ index: _index, ...r }) => r);
}
