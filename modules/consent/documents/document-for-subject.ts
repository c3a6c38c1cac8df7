/**
 * Which policy version governs one customer (SP-4): the newest version in force that they did not reject. A customer who
 * rejected a material change during its notice window stays under the version in force before it.
 */
import type { Knex } from 'knex';
import { SuiteError } from '../../../core/errors';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import { findReceipt, recordConsent } from '../ledger/consent-ledger';
import type { ConsentReceipt } from '../ledger/consent-event';
import { toDocument, type DocumentKind, type PolicyDocument } from './current-document';
import { purposeOfKind } from './document-kind';

type Db = Knex | Knex.Transaction;
type DocRow = Parameters<typeof toDocument>[0];

/** The ids of the versions of `kind` whose last recorded event for this subject is a rejection. */
async function rejectedIds(db: Db, brandId: number, subjectId: number, kind: DocumentKind): Promise<Set<number>> {
  const rows = (await db('consent_ledger').where({ brand_id: brandId, subject_id: subjectId, purpose: purposeOfKind(kind) })
    .whereNotNull('document_id').orderBy('seq').select('document_id', 'action')) as { document_id: number; action: string }[];
  const last = new Map<number, string>();
  for (const r of rows) last.set(Number(r.document_id), r.action);
  return new Set([...last].filter(([, action]) => action === 'rejected').map(([id]) => id));
}

/** The version of `kind` that governs `subjectId` at `at`, in `language` (else `fallbackLanguage`). */
export async function documentForSubject(db: Db, brandId: number, subjectId: number, kind: DocumentKind, language: string, at = Date.now(), fallbackLanguage = 'en'): Promise<PolicyDocument | undefined> {
  const rejected = await rejectedIds(db, brandId, subjectId, kind);
  for (const lang of [...new Set([language, fallbackLanguage])]) {
    const rows = (await db('consent_documents').where({ brand_id: brandId, kind, language: lang }).andWhere('effective_at', '<=', at)
      .orderBy('effective_at', 'desc').orderBy('id', 'desc')
      .select('id', 'brand_id', 'kind', 'language', 'version', 'text_hash', 'material', 'published_at', 'effective_at')) as DocRow[];
    const found = rows.find((r) => !rejected.has(Number(r.id)));
    if (found) return toDocument(found);
  }
  return undefined;
}

/** Reads one version of a brand, or throws SUITE_NOT_FOUND. */
export async function getDocument(db: Db, brandId: number, id: number): Promise<PolicyDocument & { text: string }> {
  const r = (await db('consent_documents').where({ id, brand_id: brandId }).first()) as (DocRow & { body: string }) | undefined;
  if (!r) throw new SuiteError('SUITE_NOT_FOUND', { what: 'policy document', id });
  return { ...toDocument(r), text: r.body };
}

/** Records a customer's rejection of a material version during its notice window; repeating it returns the first receipt. */
export async function rejectDocument(kernel: Kernel, brand: Brand, subjectId: number, documentId: number, req: { ip?: string; userAgent?: string }, now = Date.now()): Promise<{ receipt: ConsentReceipt; repeated: boolean; staysOn: PolicyDocument | undefined }> {
  const profile = await kernel.brands.profile(brand);
  return kernel.db.transaction(async (trx) => {
    const doc = await getDocument(trx, brand.id, documentId);
    if (!doc.material || doc.effectiveAt <= now) {
      throw new SuiteError('SUITE_POLICY_NOT_REJECTABLE', { version: doc.version, date: new Date(doc.effectiveAt).toISOString().slice(0, 10) });
    }
    const staysOn = await documentForSubject(trx, brand.id, subjectId, doc.kind, doc.language, now, profile.locale);
    const last = (await trx('consent_ledger').where({ brand_id: brand.id, subject_id: subjectId, purpose: purposeOfKind(doc.kind), document_id: doc.id })
      .orderBy('seq', 'desc').first('receipt_id', 'action')) as { receipt_id: string; action: string } | undefined;
    if (last?.action === 'rejected') {
      return { receipt: (await findReceipt(trx, last.receipt_id))!, repeated: true, staysOn };
    }
    const receipt = await recordConsent(kernel, trx, profile, {
      brandId: brand.id, subjectId, purpose: purposeOfKind(doc.kind), action: 'rejected', method: 'link', channel: 'web',
      collectionPoint: 'policy-change', documentId: doc.id, ip: req.ip, userAgent: req.userAgent, at: now,
    });
    return { receipt, repeated: false, staysOn };
  });
}
