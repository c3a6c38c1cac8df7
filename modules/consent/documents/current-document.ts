/** Which version of a policy document is in force for a brand and language at a moment (falls back to the brand's default language). */
import type { Knex } from 'knex';

export type DocumentKind = 'terms' | 'privacy' | 'cookies' | 'dpa';

/** A stored policy document version. */
export interface PolicyDocument { id: number; brandId: number; kind: DocumentKind; language: string; version: string; textHash: string; material: boolean; publishedAt: number; effectiveAt: number }

interface DocRow { id: number; brand_id: number; kind: DocumentKind; language: string; version: string; text_hash: string; material: number | boolean; published_at: number; effective_at: number }

/** Maps a stored row. */
export function toDocument(r: DocRow): PolicyDocument {
  return { id: Number(r.id), brandId: Number(r.brand_id), kind: r.kind, language: r.language, version: r.version, textHash: r.text_hash, material: Boolean(r.material), publishedAt: Number(r.published_at), effectiveAt: Number(r.effective_at) };
}

/** The newest version of `kind` whose effective date has come, in `language`, else in `fallbackLanguage`. */
export async function documentInForce(db: Knex | Knex.Transaction, brandId: number, kind: DocumentKind, language: string, fallbackLanguage = 'en', at = Date.now()): Promise<PolicyDocument | undefined> {
  for (const lang of [...new Set([language, fallbackLanguage])]) {
    const r = (await db('consent_documents').where({ brand_id: brandId, kind, language: lang }).andWhere('effective_at', '<=', at).orderBy('effective_at', 'desc').orderBy('id', 'desc').first()) as DocRow | undefined;
    if (r) return toDocument(r);
  }
  return undefined;
}
