/**
 * Which subjects a rule selects, as SQL over `subjects s`: the brand's subjects (not erased) whose event is at or
 * before the rule's cutoff and that still hold something the rule would remove, under the rule's policy versions
 * (SP-4). Holds and restriction are separate conditions so the report can count what they kept.
 */
import type { Knex } from 'knex';
import type { DataCategory } from '../../../core/profile/schema';
import type { EffectiveRule } from '../rules/effective-rules';
import { ACTIVE_ACCOUNT_EVENTS, eventAt, joinSql, leastOf, panelId, type Sql, type SqlEnv } from './event-sql';

export const DAY_MS = 86_400_000;

/** `ms` minus `months` calendar months (UTC; the 31st of a shorter month becomes its last day). */
export function monthsBefore(ms: number, months: number): number {
  const d = new Date(ms);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return target.getTime();
}

/** The latest event time a rule processes at `asOf`: an event exactly `days` ago is processed, one a day later is kept. */
export function cutoffOf(rule: Pick<EffectiveRule, 'days' | 'inactiveMonths'>, asOf: number): number {
  const base = rule.inactiveMonths ? monthsBefore(asOf, rule.inactiveMonths) : asOf;
  return base - rule.days * DAY_MS;
}

/** A rule's selection: the base conditions, what a hold keeps out, and the event time for samples. */
export interface RuleSelection { base: Sql; free: Sql; event: Sql; cutoff: number; until: number | undefined }

const sql = (text: string, bindings: Knex.Value[] = []): Sql => ({ sql: text, bindings });
const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** The policy-version condition on `col` for a rule: its own versions, or (a general rule) none of the versioned rules'. */
export function versionCondition(rule: Pick<EffectiveRule, 'policyVersions' | 'excludeVersions'>, col: string): Sql | null {
  if (rule.policyVersions) return sql(`${col} in (${marks(rule.policyVersions.length)})`, rule.policyVersions);
  if (rule.excludeVersions.length) return sql(`(${col} is null or ${col} not in (${marks(rule.excludeVersions.length)}))`, rule.excludeVersions);
  return null;
}

/** Whether the subject still holds records of the rule's category (collected at or before `until` when given), in the suite or elsewhere (holdings). */
function holdsData(env: SqlEnv, rule: EffectiveRule, until: number | undefined): Sql {
  const field: Sql[] = [sql('f.subject_id = s.id'), sql('f.category = ?', [rule.category])];
  const v = versionCondition(rule, 'f.policy_version');
  if (v) field.push(v);
  if (until !== undefined) field.push(sql('f.updated_at <= ?', [until]));
  const parts: Sql[] = [sql(`exists (select 1 from subject_fields f where ${joinSql(field, ' and ').sql})`, joinSql(field, ' and ').bindings)];
  // Module records and holdings elsewhere carry no policy version: only the general rule of their category expires them.
  if (!rule.policyVersions) {
    const since = until === undefined ? '' : ' and sh.since <= ?';
    parts.push(sql(`exists (select 1 from subject_holdings sh where sh.subject_id = s.id and sh.category = ?${since})`, until === undefined ? [rule.category] : [rule.category, until]));
  }
  if (rule.category === 'usage' && !rule.policyVersions) {
    const at = until === undefined ? '' : ' and a.created_at <= ?';
    const atL = until === undefined ? '' : ' and l.created_at <= ?';
    const b = until === undefined ? [] : [until];
    if (env.platform) parts.push(sql(`(s.kind = 'client' and exists (select 1 from platform_activity_log a where a.client_id = ${panelId(env)}${at}))`, b));
    if (env.consent) parts.push(sql(`exists (select 1 from consent_ledger l where l.subject_id = s.id and (l.ip_enc is not null or l.ua_enc is not null)${atL})`, b));
  }
  const all = joinSql(parts, ' or ');
  return sql(`(${all.sql})`, all.bindings);
}

/** The oldest record of the rule's category a subject holds, its holdings included (the event of a 'collected' rule, for samples). */
function oldestRecord(env: SqlEnv, rule: EffectiveRule): Sql {
  const v = versionCondition(rule, 'f.policy_version');
  const fields = sql(`(select min(f.updated_at) from subject_fields f where f.subject_id = s.id and f.category = ?${v ? ` and ${v.sql}` : ''})`, [rule.category, ...(v?.bindings ?? [])]);
  if (rule.policyVersions) return fields;
  const parts = [fields, sql('(select min(sh.since) from subject_holdings sh where sh.subject_id = s.id and sh.category = ?)', [rule.category])];
  if (rule.category !== 'usage') return leastOf(env, parts);
  if (env.platform) parts.push(sql(`(case when s.kind = 'client' then (select min(a.created_at) from platform_activity_log a where a.client_id = ${panelId(env)}) end)`));
  if (env.consent) parts.push(sql('(select min(l.created_at) from consent_ledger l where l.subject_id = s.id and (l.ip_enc is not null or l.ua_enc is not null))'));
  return leastOf(env, parts);
}

/** The conditions of a whole-subject rule beyond the brand: who it may touch, under which version, and the event. */
function subjectConditions(env: SqlEnv, rule: EffectiveRule, cutoff: number): { parts: Sql[]; event: Sql } {
  const parts: Sql[] = [];
  let event = eventAt(env, rule.from, rule.category);
  if (rule.inactiveMonths) {
    // The inactive client: closed (or inactive on the panel), nothing paid (or no activity) for the months; never paid: since sign-up.
    const inactive = env.platform ? ` or exists (select 1 from platform_clients pc where pc.id = ${panelId(env)} and pc.status = 'inactive')` : '';
    parts.push(sql(`s.kind = 'client' and (s.status = 'closed'${inactive})`));
    event = sql(`coalesce(${event.sql}, s.created_at)`, event.bindings);
  } else {
    // A contact closed on its own (ContactDelete) goes by itself; every other event is about an account (clients, payers).
    if (rule.from !== 'account-closed') parts.push(sql('s.parent_id is null'));
    // MS-9: kept while the account is active, except where the rule is about an account that never was a customer or withdrew.
    if (!ACTIVE_ACCOUNT_EVENTS.has(rule.from)) parts.push(sql("(s.kind = 'payer' or s.status <> 'active')"));
  }
  const v = versionCondition(rule, "(select f.policy_version from subject_fields f where f.subject_id = s.id and f.category = 'contact' order by f.id limit 1)");
  if (v) parts.push(v);
  parts.push(sql(`${event.sql} <= ?`, [...event.bindings, cutoff]));
  return { parts, event };
}

/** The selection of `rule` for a brand at `asOf`; `heldCategories` are categories under a hold (a whole subject holding them is kept). */
export function ruleSelection(env: SqlEnv, rule: EffectiveRule, brandId: number, asOf: number, heldCategories: DataCategory[]): RuleSelection {
  const cutoff = cutoffOf(rule, asOf);
  const parts: Sql[] = [sql('s.brand_id = ?', [brandId]), sql("s.status <> 'erased'")];
  let event: Sql;
  let until: number | undefined;
  if (rule.scope === 'subject') {
    const c = subjectConditions(env, rule, cutoff);
    parts.push(...c.parts);
    event = c.event;
  } else if (rule.from === 'collected') {
    until = cutoff;
    parts.push(holdsData(env, rule, cutoff));
    event = oldestRecord(env, rule);
  } else {
    event = eventAt(env, rule.from, rule.category);
    parts.push(sql(`${event.sql} <= ?`, [...event.bindings, cutoff]), holdsData(env, rule, undefined));
  }
  const free: Sql[] = [sql("not exists (select 1 from retention_holds h where h.brand_id = s.brand_id and h.scope = 'subject' and h.released_at is null and (h.expires_at is null or h.expires_at > ?) and h.root_id = coalesce(s.parent_id, s.id))", [asOf])];
  if (rule.scope === 'subject' && heldCategories.length) {
    free.push(sql(`not exists (select 1 from subject_fields f where f.subject_id = s.id and f.category in (${marks(heldCategories.length)}))`, heldCategories));
  }
  return { base: joinSql(parts, ' and '), free: joinSql(free, ' and '), event, cutoff, until };
}
