/**
 * Publishing the generated privacy policy as versions of the consent module's `privacy` document: when the brand's
 * policy view differs from the latest version in a language, a new numbered version is published with the view (JSON)
 * as its text, so its text hash, effective date, notices and rejections follow the document rules (MS-11, WSM-24, SP-4).
 */
import type { Knex } from 'knex';
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import { toDocument, type PolicyDocument } from '../documents/current-document';
import { publishDocument, textHash } from '../documents/publish-document';
import { policySettings } from './policy-settings';
import { policyView, PolicyView, POLICY_VIEW_FORMAT } from './policy-view';

type DocRow = Parameters<typeof toDocument>[0];

/** Parts of the view whose change is not material: who to write to, the holiday list, the brand's name and languages. */
const NOT_MATERIAL = ['locale', 'languages', 'brand', 'controller', 'supervisoryAuthority', 'parent'] as const;

/** The archived view of a stored privacy version, or null when its text is not a generated view (a hand-written policy). */
export function viewOfBody(body: string): PolicyView | null {
  try {
    const parsed = PolicyView.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** JSON with object keys sorted, so two views built in a different key order compare equal. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : v));
}

/** Whether moving from `before` to `after` is a material change (anything a reader relies on beyond contact details and holidays). */
export function isMaterialChange(before: PolicyView | null, after: PolicyView): boolean {
  if (!before) return false;
  const strip = (v: PolicyView) => {
    const copy: Record<string, unknown> = { ...PolicyView.parse(v), rights: { ...v.rights, holidays: [] } };
    for (const k of NOT_MATERIAL) delete copy[k];
    return stableJson(copy);
  };
  return strip(before) !== strip(after);
}

/** How every generated version's text begins: `format` is the view's first key (the schema's order, see publishPolicy). */
const GENERATED_PREFIX = `{"format":"${POLICY_VIEW_FORMAT}"`;

/** A stored privacy version without its text; `generated` when the text is a policy view (not a hand-written policy). */
export type PrivacyVersion = PolicyDocument & { generated: boolean };

/** The brand's privacy versions in `language`, newest first, without their text (only its first characters are read). */
export async function privacyVersions(db: Knex, brandId: number, language: string): Promise<PrivacyVersion[]> {
  const rows = (await db('consent_documents').where({ brand_id: brandId, kind: 'privacy', language })
    .orderBy('published_at', 'desc').orderBy('id', 'desc')
    .select('id', 'brand_id', 'kind', 'language', 'version', 'text_hash', 'material', 'published_at', 'effective_at',
      db.raw('substr(body, 1, ?) as head', [GENERATED_PREFIX.length]))) as (DocRow & { head: string })[];
  return rows.map((r) => ({ ...toDocument(r), generated: r.head === GENERATED_PREFIX }));
}

/** The archived view of one stored version (null when its text is not a generated view). */
export async function archivedView(db: Knex, documentId: number): Promise<PolicyView | null> {
  const r = (await db('consent_documents').where({ id: documentId }).first('body')) as { body: string } | undefined;
  return r ? viewOfBody(r.body) : null;
}

/** The next numbered version: one more than the highest numeric version of the language (hand-written names are skipped). */
function nextVersion(existing: { version: string }[]): string {
  const numbers = existing.map((d) => Number(d.version)).filter((n) => Number.isInteger(n) && n > 0);
  return String(numbers.length ? Math.max(...numbers) + 1 : 1);
}

/** What publishing did in each of the brand's languages. */
export interface PolicyPublication { language: string; published: PolicyDocument | null; unchanged: boolean; notices: number }

/** Publishes the brand's current policy in each of its languages where it changed; an unchanged policy publishes nothing. */
export async function publishPolicy(kernel: Kernel, brand: Brand, actor: Actor, ip?: string, now = Date.now()): Promise<PolicyPublication[]> {
  const profile = await kernel.brands.profile(brand);
  // Parsed once more so the stored text has the schema's key order, the same as any archived version read back.
  const view = PolicyView.parse(policyView(profile, await policySettings(kernel, brand, profile), profile.locale));
  const text = JSON.stringify(view);
  const out: PolicyPublication[] = [];
  for (const language of [...new Set([profile.locale, ...profile.languages])]) {
    const versions = await privacyVersions(kernel.db, brand.id, language);
    const latest = versions[0];
    if (latest && latest.textHash === textHash(text)) {
      out.push({ language, published: null, unchanged: true, notices: 0 });
      continue;
    }
    const material = isMaterialChange(latest ? await archivedView(kernel.db, latest.id) : null, view);
    const r = await publishDocument(kernel, brand, { kind: 'privacy', language, version: nextVersion(versions), text, material }, actor, ip, now);
    out.push({ language, published: r.document, unchanged: false, notices: r.notices });
  }
  return out;
}
