/**
 * The Art. 15(1) sections in the request's language (lang rights.export.*): data.json carries them beside the codes
 * (dates as ISO 8601), index.html shows them (dates in the reader's locale). Pure functions of the collected sections.
 */
import { t } from '../../../core/i18n';
import type { RetentionRule } from '../../../core/profile/schema';
import type { Article15, Article15Retention } from './export-article15';

/** A translation, or `fallback` when the locale and English have none. */
function label(locale: string, key: string, fallback: string): string {
  const s = t(locale, key);
  return s === key ? fallback : s;
}

const category = (locale: string, c: string): string => label(locale, `rights.export.category.${c}`, c);
const list = (locale: string, items: string[]): string => new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items);

/** One retention rule as a sentence ("while your account is active, then …" for account-closed rules). */
function ruleText(locale: string, r: RetentionRule): string {
  const params = {
    days: r.days, months: r.inactiveMonths ?? 0,
    event: t(locale, `rights.export.retention.event.${r.from}`), action: t(locale, `rights.export.retention.action.${r.action}`),
  };
  const key = r.inactiveMonths ? 'inactive' : r.from === 'account-closed' ? 'accountClosed' : 'after';
  const text = t(locale, `rights.export.retention.${key}`, params);
  return r.policyVersions ? `${text} ${t(locale, 'rights.export.retention.versions', { versions: r.policyVersions.join(', ') })}` : text;
}

/** The retention of one category as sentences. */
export function retentionLines(locale: string, r: Article15Retention): string[] {
  const lines = r.rules.map((rule) => ruleText(locale, rule));
  if (r.statutoryInvoiceYears !== null) lines.push(t(locale, 'rights.export.retention.statutory', { years: r.statutoryInvoiceYears }));
  return lines.length ? lines : [t(locale, 'rights.export.retention.none')];
}

/** The sections as data.json writes them: codes and ISO dates, with the sentences in `locale`. */
export function article15Json(a: Article15, locale: string): Record<string, unknown> {
  const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
  const { authority, source } = a.supervisoryAuthority;
  return {
    purposes: a.purposes.map((p) => ({ ...p, legalBasisText: t(locale, `rights.export.legalBasis.${p.legalBasis}`) })),
    categories: a.categories.map((c) => ({ ...c, label: category(locale, c.category) })),
    recipients: a.recipients.map((r) => ({ ...r, first: iso(r.first), last: iso(r.last), dates: r.dates.map(iso) })),
    retention: a.retention.map((r) => ({ ...r, text: retentionLines(locale, r) })),
    rights: {
      ...a.rights,
      rights: a.rights.rights.map((right) => ({ right, text: t(locale, `rights.export.right.${right}`) })),
      dueText: t(locale, `rights.export.due.${a.rights.dueRule}`, { days: a.rights.dueBusinessDays }),
    },
    supervisoryAuthority: { ...(authority ?? {}), source, text: authorityText(locale, a) },
    sources: a.sources.map((s) => ({ ...s, first: iso(s.first), text: sourceText(locale, s, (ms) => iso(ms)?.slice(0, 10) ?? '') })),
  };
}

function authorityText(locale: string, a: Article15): string {
  const { authority } = a.supervisoryAuthority;
  return authority ? t(locale, 'rights.export.authority.named', { name: authority.name }) : t(locale, 'rights.export.authority.generic');
}

function sourceText(locale: string, s: Article15['sources'][number], date: (ms: number | null | undefined) => string): string {
  return t(locale, `rights.export.source.${s.source}`, { hooks: s.hooks.join(', '), count: s.count ?? 0, date: date(s.first) });
}

/** The sections as index.html shows them: labels and sentences in `locale`, dates formatted by `date`. */
export function article15View(a: Article15, locale: string, date: (ms: number) => string): Record<string, unknown> {
  const { authority } = a.supervisoryAuthority;
  return {
    purposes: a.purposes.map((p) => ({ description: p.description, code: p.code, basis: t(locale, `rights.export.legalBasis.${p.legalBasis}`) })),
    categories: a.categories.map((c) => ({
      label: category(locale, c.category),
      fields: c.fields.map((f) => label(locale, `rights.export.column.${f}`, f)).join(', '),
      sets: c.sets.map((s) => { const [m, n] = s.split('/'); return `${label(locale, `rights.export.module.${m}`, m)} — ${label(locale, `rights.export.set.${n}`, n)}`; }).join(', '),
    })),
    recipients: a.recipients.map((r) => ({
      name: r.name, country: r.country ?? '', purpose: a.purposes.find((p) => p.code === r.purpose)?.description ?? r.purpose,
      categories: list(locale, r.categories.map((c) => category(locale, c))),
      when: r.count === 1 ? date(r.first) : t(locale, 'rights.export.a15.times', { count: r.count, first: date(r.first), last: date(r.last) }),
    })),
    retention: a.retention.map((r) => ({ label: category(locale, r.category), lines: retentionLines(locale, r) })),
    rights: a.rights.rights.map((right) => t(locale, `rights.export.right.${right}`)),
    due: t(locale, `rights.export.due.${a.rights.dueRule}`, { days: a.rights.dueBusinessDays }),
    authority: { ...(authority ?? {}), text: authorityText(locale, a) },
    sources: a.sources.map((s) => ({
      text: sourceText(locale, s, (ms) => (ms === null || ms === undefined ? '' : date(ms))),
      categories: list(locale, s.categories.map((c) => category(locale, c))),
    })),
  };
}
