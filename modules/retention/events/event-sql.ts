/**
 * The events retention periods are counted from, as SQL over one subject row `s` (set-based: the sweep selects a
 * batch of candidates in one statement). Events read the inventory (closed_at, the last_login and id_document fields),
 * the subject event store (subject_events: what a panel whose tables the suite cannot read, WHMCS, reports through
 * hooks and the import), the reference platform's tables (invoices, orders, services, domains, activity log) and the
 * consent state; an event is the latest of the store's part and the platform's. Where a module is not loaded its part
 * is NULL. Timestamps are epoch ms; NULL means "no such event", which never matches.
 */
import type { Knex } from 'knex';
import type { RetentionEvent } from '../../../core/profile/schema';
import type { SubjectEvent } from '../../../core/subjects/subject-service';

/** What the SQL may use: the dialect, and whether the platform and consent tables exist. */
export interface SqlEnv { dialect: 'sqlite' | 'mysql'; platform: boolean; consent: boolean }

/** A fragment of SQL with its bindings. */
export interface Sql { sql: string; bindings: Knex.Value[] }

/** Joins fragments with a separator, concatenating their bindings in order. */
export function joinSql(parts: Sql[], sep: string): Sql {
  return { sql: parts.map((p) => p.sql).join(sep), bindings: parts.flatMap((p) => p.bindings) };
}

const sql = (text: string, bindings: Knex.Value[] = []): Sql => ({ sql: text, bindings });
const NULL = sql('null');

/** The platform client id of a subject of kind client (or payer id of a payer): subjects keep it as text. */
export const panelId = (env: SqlEnv): string => (env.dialect === 'mysql' ? 'cast(s.external_id as unsigned)' : 'cast(s.external_id as integer)');

/** The largest of several nullable values (NULL parts count as 0). */
export function greatestOf(env: SqlEnv, parts: Sql[]): Sql {
  const inner = joinSql(parts.map((p) => sql(`coalesce(${p.sql}, 0)`, p.bindings)), ', ');
  return sql(`${env.dialect === 'mysql' ? 'greatest' : 'max'}(${inner.sql})`, inner.bindings);
}

/** The smallest of several nullable values, NULL when all are NULL. */
export function leastOf(env: SqlEnv, parts: Sql[]): Sql {
  if (parts.length === 1) return parts[0];
  const big = '8999999999999999';
  const inner = joinSql(parts.map((p) => sql(`coalesce(${p.sql}, ${big})`, p.bindings)), ', ');
  return sql(`nullif(${env.dialect === 'mysql' ? 'least' : 'min'}(${inner.sql}), ${big})`, inner.bindings);
}

/** The latest of several nullable values, NULL when all are NULL (event times are after 1970: 0 stands for none). */
function latestOf(env: SqlEnv, parts: Sql[]): Sql {
  if (parts.length === 1) return parts[0];
  const max = greatestOf(env, parts);
  return sql(`nullif(${max.sql}, 0)`, max.bindings);
}

/** The recorded time of the subject's events (subject_events, a primary-key look-up; several: the latest of them). */
function recorded(...events: SubjectEvent[]): Sql {
  const cond = events.length === 1 ? 'e.event = ?' : `e.event in (${events.map(() => '?').join(', ')})`;
  return sql(`(select max(e.at) from subject_events e where e.subject_id = s.id and ${cond})`, events);
}

/** The latest paid invoice the platform stores of a client (or the latest invoice a payer paid). */
function platformPaid(env: SqlEnv): Sql {
  if (!env.platform) return NULL;
  const id = panelId(env);
  return sql(`(case when s.kind = 'client' then (select max(i.paid_at) from platform_invoices i where i.client_id = ${id} and i.brand_id = s.brand_id)`
    + ` when s.kind = 'payer' then (select max(i.paid_at) from platform_invoices i where i.payer_id = ${id} and i.brand_id = s.brand_id) end)`);
}

/** The latest paid invoice of a subject: the platform's, or the one the panel reported (InvoicePaid, the WHMCS import). */
export function lastPaid(env: SqlEnv): Sql {
  return latestOf(env, env.platform ? [platformPaid(env), recorded('invoice-paid')] : [recorded('invoice-paid')]);
}

/** The latest entry in the platform's activity log of a client. */
function lastLogged(env: SqlEnv): Sql {
  if (!env.platform) return NULL;
  return sql(`(case when s.kind = 'client' then (select max(a.created_at) from platform_activity_log a where a.client_id = ${panelId(env)}) end)`);
}

/** When a named inventory field of the subject was last stored. */
const fieldStored = (field: string): Sql => sql('(select max(f.updated_at) from subject_fields f where f.subject_id = s.id and f.field = ?)', [field]);

/**
 * The last login or activity: the latest of the last_login field, the recorded logins and paid invoices, the activity
 * log and the platform's paid invoices, at least the sign-up. The recorded login outlives a usage rule that deletes the
 * last_login field, so such a rule does not make an active customer look inactive.
 */
export function lastActivity(env: SqlEnv): Sql {
  return greatestOf(env, [fieldStored('last_login'), recorded('last-login', 'invoice-paid'), lastLogged(env), platformPaid(env), sql('s.created_at')]);
}

/**
 * When a client's last service ended, while it has no service running. The platform's: its services. The recorded
 * one: the end of the last service the panel reported cancelled with none other running (CancellationRequest); an
 * order placed after it starts another service, so it no longer counts then.
 */
function serviceEnded(env: SqlEnv): Sql {
  const reported = sql('(select e.at from subject_events e where e.subject_id = s.id and e.event = ?'
    + ' and not exists (select 1 from subject_events o where o.subject_id = s.id and o.event = ? and o.at > e.at))', ['service-ended', 'order-placed']);
  if (!env.platform) return reported;
  const id = panelId(env);
  const platform = sql(`(case when s.kind = 'client' and not exists (select 1 from platform_services sv where sv.client_id = ${id} and sv.status in ('active', 'suspended', 'pending'))`
    + ` then (select max(sv.updated_at) from platform_services sv where sv.client_id = ${id} and sv.status in ('cancelled', 'terminated')) end)`);
  return latestOf(env, [platform, reported]);
}

/** When a client's last domain expires or expired (a renewed domain has its expiry in the future): the platform's domains, or the reported expiry. */
function domainExpired(env: SqlEnv): Sql {
  if (!env.platform) return recorded('domain-expiry');
  return latestOf(env, [sql(`(case when s.kind = 'client' then (select max(d.expiry_at) from platform_domains d where d.client_id = ${panelId(env)}) end)`), recorded('domain-expiry')]);
}

/** The last order of a client that never paid an invoice (an abandoned cart): neither on the platform nor as the panel reported. */
function cartAbandoned(env: SqlEnv): Sql {
  const neverPaid = 'not exists (select 1 from subject_events e where e.subject_id = s.id and e.event = ?)';
  if (!env.platform) return sql(`(case when ${neverPaid} then ${recorded('order-placed').sql} end)`, ['invoice-paid', 'order-placed']);
  const id = panelId(env);
  const ordered = latestOf(env, [sql(`(select max(o.created_at) from platform_orders o where o.client_id = ${id})`), recorded('order-placed')]);
  return sql(`(case when s.kind = 'client' and ${neverPaid} and not exists (select 1 from platform_invoices i where i.client_id = ${id} and i.paid_at is not null)`
    + ` then ${ordered.sql} end)`, ['invoice-paid', ...ordered.bindings]);
}

/** When the subject withdrew its consent to processing (SP-6.1), while that withdrawal is its current state. */
function consentWithdrawn(env: SqlEnv): Sql {
  if (!env.consent) return NULL;
  return sql("(select max(cs.updated_at) from consent_state cs where cs.subject_id = s.id and cs.purpose = 'processing' and cs.action = 'withdrawn')");
}

/** The event time of a subject for `from` (for 'collected': when its oldest field of `category` was stored). */
export function eventAt(env: SqlEnv, from: RetentionEvent, category: string): Sql {
  switch (from) {
    // A reopened account keeps its old closed_at: only a subject that is not active counts as closed.
    case 'account-closed': return sql("(case when s.status <> 'active' then s.closed_at end)");
    case 'invoice-paid': return lastPaid(env);
    case 'last-login':
    case 'last-activity': return lastActivity(env);
    case 'service-ended': return serviceEnded(env);
    case 'domain-expired': return domainExpired(env);
    case 'consent-withdrawn': return consentWithdrawn(env);
    case 'identity-verified': return fieldStored('id_document');
    case 'cart-abandoned': return cartAbandoned(env);
    case 'collected': return sql('(select min(f.updated_at) from subject_fields f where f.subject_id = s.id and f.category = ?)', [category]);
  }
}

/** Events a whole subject may be anonymised on while its account is active (the point of the rule is an account that never became a customer or withdrew). */
export const ACTIVE_ACCOUNT_EVENTS: ReadonlySet<RetentionEvent> = new Set(['cart-abandoned', 'consent-withdrawn']);
