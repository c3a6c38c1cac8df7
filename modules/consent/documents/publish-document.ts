/**
 * Publishing a policy version. A non-material version, or any version on a brand with notice period 0, takes effect at
 * once (MS-11). A material version takes effect only after the brand's notice period (WSM-24): every affected customer
 * is sent a notice through the outbox with a signed link to reject it before then (SP-4).
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import { validationError, zodIssues, fieldIssue } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { createSignedLink } from '../../../core/links/signed-link';
import { toDocument, type PolicyDocument } from './current-document';
import { DocumentKind, purposeOfKind } from './document-kind';

const DAY_MS = 86_400_000;

/** The purpose a reject link is signed for. */
export const REJECT_LINK_PURPOSE = 'policy-reject';

/** What an admin sends to publish a version. `effectiveAt` (ISO date or epoch ms) may only push the date later. */
export const PublishDocument = z.object({
  kind: DocumentKind,
  language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a language code such as "en" or "pt-BR"'),
  version: z.string().trim().min(1).max(32),
  text: z.string().min(1).max(1_000_000),
  material: z.boolean().default(false),
  effectiveAt: z.union([z.number().int().positive(), z.string().datetime({ offset: true })]).optional(),
}).strict();
export type PublishDocument = z.infer<typeof PublishDocument>;

/** What publishing did: the stored version and how many customers were sent a notice. */
export interface PublishResult { document: PolicyDocument; notices: number }

/** sha256 of the text as stored (UTF-8), hex. */
export function textHash(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The subjects who currently accept `kind` on the brand in this language (or with no document recorded, when it is the brand's locale). */
async function affectedSubjects(trx: Knex.Transaction, brandId: number, kind: PolicyDocument['kind'], language: string, defaultLanguage: string): Promise<number[]> {
  const rows = (await trx('consent_state as s')
    .leftJoin('consent_ledger as l', 'l.receipt_id', 's.receipt_id')
    .leftJoin('consent_documents as d', 'd.id', 'l.document_id')
    .where({ 's.brand_id': brandId, 's.purpose': purposeOfKind(kind), 's.action': 'given' })
    .whereNotNull('s.subject_id')
    .select('s.subject_id', 'd.language')) as { subject_id: number; language: string | null }[];
  const ids = rows.filter((r) => (r.language ?? defaultLanguage) === language).map((r) => Number(r.subject_id));
  return [...new Set(ids)].sort((a, b) => a - b);
}

/** Publishes a version inside one transaction, with the audit entry and the notices; bad input: 400 naming the fields. */
export async function publishDocument(kernel: Kernel, brand: Brand, input: unknown, actor: Actor, ip?: string, now = Date.now()): Promise<PublishResult> {
  const parsed = PublishDocument.safeParse(input);
  if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
  const d = parsed.data;
  const profile: PrivacyProfile = await kernel.brands.profile(brand);
  const noticeMs = profile.policy.noticePeriodDays * DAY_MS;
  const asked = d.effectiveAt === undefined ? undefined : typeof d.effectiveAt === 'number' ? d.effectiveAt : Date.parse(d.effectiveAt);
  const earliest = d.material ? now + noticeMs : now;
  if (asked !== undefined && asked < earliest) {
    throw validationError([fieldIssue('effectiveAt', 'validation.consent.effectiveTooEarly', { days: profile.policy.noticePeriodDays, earliest: new Date(earliest).toISOString() })]);
  }
  const effectiveAt = asked ?? earliest;
  return kernel.db.transaction(async (trx) => {
    const dup = await trx('consent_documents').where({ brand_id: brand.id, kind: d.kind, language: d.language, version: d.version }).first('id');
    if (dup) throw validationError([fieldIssue('version', 'validation.consent.versionPublished', { version: d.version, kind: d.kind, language: d.language })]);
    const row = {
      brand_id: brand.id, kind: d.kind, language: d.language, version: d.version, text_hash: textHash(d.text), body: d.text,
      material: d.material, published_at: now, effective_at: effectiveAt, created_by: `${actor.type}:${actor.id}`.slice(0, 80),
    };
    const [id] = await trx('consent_documents').insert(row);
    const document = toDocument({ ...row, id: Number(id) });
    let notices = 0;
    if (d.material) {
      const windowOpen = effectiveAt > now;
      for (const subjectId of await affectedSubjects(trx, brand.id, d.kind, d.language, profile.locale)) {
        const payload: Record<string, unknown> = {
          brand: brand.slug, subjectId, kind: d.kind, language: d.language, version: d.version, documentId: document.id,
          textHash: document.textHash, effectiveAt: new Date(effectiveAt).toISOString(), template: 'consent.documents.notice',
        };
        if (windowOpen) {
          payload.rejectPath = `/b/${brand.slug}/consent/documents/${document.id}/reject`;
          payload.rejectToken = createSignedLink(kernel, { brandId: brand.id, subjectId, purpose: REJECT_LINK_PURPOSE, expiresAt: effectiveAt });
        }
        await kernel.outbox.enqueue(trx, profile, {
          brandId: brand.id, topic: 'consent.policy-notice', recipient: 'email', purpose: 'service', subjectId,
          categories: ['contact'], payload, idempotencyKey: `policy-notice:${document.id}:${subjectId}`, toSubject: true,
        });
        notices += 1;
      }
    }
    await kernel.audit.record({
      brandId: brand.id, actor, action: 'consent.document.publish', targetType: 'consent_document', targetId: document.id, ip,
      details: { kind: d.kind, language: d.language, version: d.version, material: d.material, effectiveAt, notices },
    }, trx);
    return { document, notices };
  });
}

/** Lists a brand's versions (without their text), newest first. */
export async function listDocuments(db: Knex, brandId: number, filter: { kind?: string; language?: string } = {}): Promise<PolicyDocument[]> {
  const q = db('consent_documents').where({ brand_id: brandId });
  if (filter.kind) q.andWhere({ kind: filter.kind });
  if (filter.language) q.andWhere({ language: filter.language });
  const rows = (await q.orderBy('published_at', 'desc').orderBy('id', 'desc')
    .select('id', 'brand_id', 'kind', 'language', 'version', 'text_hash', 'material', 'published_at', 'effective_at')) as Parameters<typeof toDocument>[0][];
  return rows.map(toDocument);
}
