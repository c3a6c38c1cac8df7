/**
 * What GDPR Art. 15(1) requires beside the data itself, for one person's export (MS-8b): purposes and legal bases,
 * the categories held, the recipients that actually received their data (from the disclosure log, this subject's
 * entries only, with dates), the retention of each category, their rights and the authority to complain to, and
 * where the data came from. Small and bounded: the disclosure log is read in keyset batches and folded per recipient.
 */
import type { Kernel } from '../../../core/kernel';
import type { Brand } from '../../../core/brands/brand';
import type { DataCategory, PrivacyProfile, Purpose, RetentionRule, SupervisoryAuthority } from '../../../core/profile/schema';
import { statutoryInvoiceYears } from '../../../core/profile/statutory';
import { categoriesOf, SUBJECT_REGISTER_MODULE, type ExportSources } from './export-sources';
import { supervisoryAuthorityOf, type AuthorityChoice } from '../../../core/profile/supervisory-authority';

/** Disclosure log rows read per query. */
const DISCLOSURE_BATCH = 1000;
/** Dates kept per recipient group (the latest ones); `count`, `first` and `last` cover them all. */
export const RECIPIENT_DATES = 50;

/** One recipient that received the person's data for one purpose and set of categories. */
export interface Article15Recipient {
  recipient: string; name: string; kind: string | null; country: string | null; purpose: string; categories: DataCategory[];
  count: number; first: number; last: number; dates: number[];
}

/** One category the export holds: its fields in the register and the record sets of it. */
export interface Article15Category { category: DataCategory; fields: string[]; sets: string[] }

/** The retention of one category: the profile's rules for it, and for billing the statutory invoice years. */
export interface Article15Retention { category: DataCategory; rules: RetentionRule[]; statutoryInvoiceYears: number | null }

/** Where some of the data came from. `hooks` are the billing panel's hooks that carried it. */
export interface Article15Source {
  source: 'you' | 'account-holder' | 'automatic' | 'payment' | 'services' | 'third-party-payer';
  hooks: string[]; categories: DataCategory[]; count?: number; first?: number | null;
}

/** The rights a person has (GDPR Art. 15–21, 7(3)), in the order the export lists them. */
export const RIGHTS = ['access', 'rectification', 'erasure', 'restriction', 'objection', 'portability', 'withdraw-consent'] as const;

/** Everything the export adds for Art. 15(1). */
export interface Article15 {
  purposes: Purpose[];
  categories: Article15Category[];
  recipients: Article15Recipient[];
  retention: Article15Retention[];
  rights: { rights: readonly string[]; dueRule: PrivacyProfile['rights']['dueRule']; dueBusinessDays: number };
  supervisoryAuthority: { authority: SupervisoryAuthority | null; source: AuthorityChoice['source'] };
  sources: Article15Source[];
}

interface DisclosureRow { id: number | string; recipient: string; purpose: string; categories: string; created_at: number | string }

/** Folds this subject's disclosure log entries into one group per recipient, purpose and categories. */
async function recipientsOf(kernel: Kernel, profile: PrivacyProfile, brandId: number, subjectId: number): Promise<Article15Recipient[]> {
  const groups = new Map<string, Article15Recipient>();
  const known = new Map(profile.recipients.map((r) => [r.code, r]));
  let after = 0;
  for (;;) {
    const rows = (await kernel.db('disclosure_log').where({ brand_id: brandId, subject_id: subjectId }).andWhere('id', '>', after)
      .orderBy('id').limit(DISCLOSURE_BATCH).select('id', 'recipient', 'purpose', 'categories', 'created_at')) as DisclosureRow[];
    for (const r of rows) {
      const at = Number(r.created_at);
      const key = `${r.recipient}\u0000${r.purpose}\u0000${r.categories}`;
      let g = groups.get(key);
      if (!g) {
        const reg = known.get(r.recipient);
        const parsed: unknown = JSON.parse(r.categories);
        g = {
          recipient: r.recipient, name: reg?.name ?? r.recipient, kind: reg?.kind ?? null, country: reg?.country ?? null, purpose: r.purpose,
          categories: Array.isArray(parsed) ? (parsed.map(String) as DataCategory[]) : [], count: 0, first: at, last: at, dates: [],
        };
        groups.set(key, g);
      }
      g.count++;
      g.first = Math.min(g.first, at);
      g.last = Math.max(g.last, at);
      g.dates.push(at);
      if (g.dates.length > RECIPIENT_DATES) g.dates.shift();
    }
    if (rows.length < DISCLOSURE_BATCH) break;
    after = Number(rows[rows.length - 1].id);
  }
  return [...groups.values()].sort((a, b) => b.last - a.last || a.recipient.localeCompare(b.recipient));
}

/** Invoices of a client paid by a third party (the reference platform's payers, ESM-2): how many, and the first payment. */
async function thirdPartyPayments(kernel: Kernel, brandId: number, clientId: string): Promise<{ count: number; first: number | null }> {
  const row = (await kernel.db('platform_invoices').where({ brand_id: brandId, client_id: Number(clientId) }).whereNotNull('payer_id')
    .first(kernel.db.raw('count(*) as n'), kernel.db.raw('min(paid_at) as first'))) as { n: number | string; first: number | string | null } | undefined;
  return { count: Number(row?.n ?? 0), first: row?.first === null || row?.first === undefined ? null : Number(row.first) };
}

/** Where the data came from, by the kind of subject, the categories of its fields and record sets, and third-party payments. */
async function sourcesOf(kernel: Kernel, brand: Brand, src: ExportSources): Promise<Article15Source[]> {
  const { subject } = src;
  const own = [...new Set(src.fields.filter((f) => f.category !== 'usage').map((f) => f.category))].sort();
  const usage = src.fields.some((f) => f.category === 'usage');
  const out: Article15Source[] = [];
  if (subject.kind === 'client') {
    if (own.length) out.push({ source: 'you', hooks: ['ClientAdd', 'ClientEdit'], categories: own });
    if (usage) out.push({ source: 'automatic', hooks: ['ClientAdd'], categories: ['usage'] });
  } else if (subject.kind === 'contact') {
    if (own.length || usage) out.push({ source: 'account-holder', hooks: ['ContactAdd', 'ContactEdit'], categories: [...own, ...(usage ? ['usage' as const] : [])] });
  } else if (own.length || usage) out.push({ source: 'payment', hooks: ['InvoicePaid'], categories: [...own, ...(usage ? ['usage' as const] : [])] });
  const kept = [...new Set(src.sets.filter((s) => s.module !== SUBJECT_REGISTER_MODULE).map((s) => s.category))].sort();
  if (kept.length) out.push({ source: 'services', hooks: [], categories: kept });
  if (subject.kind === 'client' && src.modules.includes('platform')) {
    const paid = await thirdPartyPayments(kernel, brand.id, subject.externalId);
    if (paid.count) out.push({ source: 'third-party-payer', hooks: ['InvoicePaid'], categories: ['billing'], count: paid.count, first: paid.first });
  }
  return out;
}

/** Collects the Art. 15(1) sections for `src` (the person's export) from the brand's effective profile and the logs. */
export async function collectArticle15(kernel: Kernel, brand: Brand, profile: PrivacyProfile, src: ExportSources): Promise<Article15> {
  const held = categoriesOf(src);
  const categories = held.map((category) => ({
    category,
    fields: src.fields.filter((f) => f.category === category).map((f) => f.name),
    sets: src.sets.filter((s) => s.category === category).map((s) => `${s.module}/${s.name}`),
  }));
  const retention = held.map((category) => ({
    category,
    rules: profile.retention.filter((r) => r.category === category),
    statutoryInvoiceYears: category === 'billing' ? statutoryInvoiceYears(profile) : null,
  }));
  return {
    purposes: profile.purposes,
    categories,
    recipients: await recipientsOf(kernel, profile, brand.id, src.subject.id),
    retention,
    rights: { rights: RIGHTS, dueRule: profile.rights.dueRule, dueBusinessDays: profile.rights.dueBusinessDays },
    supervisoryAuthority: supervisoryAuthorityOf(profile),
    sources: await sourcesOf(kernel, brand, src),
  };
}
