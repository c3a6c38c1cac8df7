/**
 * The consent ledger: append-only, hash-chained receipts. Each record's hash covers keyed hashes of the subject,
 * IP and user agent (not the values), so erasure can blank the encrypted values without breaking the chain.
 * The derived state table is updated in the same transaction.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { HashChain } from '../../../core/chain/hash-chain';
import { validationError, zodIssues, fieldIssue } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { ConsentEvent, type ConsentReceipt, type ConsentPurpose, type ConsentAction, type ConsentMethod, type CollectionPoint } from './consent-event';

export const consentChain = new HashChain('consent_ledger', [
  'receipt_id', 'brand_id', 'controller', 'subject_id', 'subject_key', 'purpose', 'action', 'method', 'channel', 'collection_point',
  'document_id', 'document_version', 'document_hash', 'banner_version', 'ip_hash', 'ua_hash',
]);

/** The key a subject's consents are filed under: a keyed hash that survives erasure of the subject. */
export function subjectKey(kernel: Kernel, brandId: number, subject: { subjectId: number | null; visitorId?: string }): string {
  return subject.subjectId !== null
    ? kernel.keyring.blindIndex(`${brandId}:${subject.subjectId}`, 'consent-subject')
    : kernel.keyring.blindIndex(`${brandId}:${subject.visitorId}`, 'consent-visitor');
}

interface LedgerRow {
  seq: number; receipt_id: string; brand_id: number; controller: string; subject_id: number | null; subject_key: string; purpose: ConsentPurpose;
  action: ConsentAction; method: ConsentMethod; channel: string; collection_point: CollectionPoint; document_id: number | null; document_version: string | null;
  document_hash: string | null; banner_version: string | null; created_at: number; hash: string;
}

/** A stored ledger row as a receipt. */
export function toReceipt(r: LedgerRow): ConsentReceipt {
  return {
    receiptId: r.receipt_id, seq: Number(r.seq), brandId: Number(r.brand_id), controller: r.controller, subjectId: r.subject_id === null ? null : Number(r.subject_id),
    subjectKey: r.subject_key, purpose: r.purpose, action: r.action, method: r.method, channel: r.channel, collectionPoint: r.collection_point,
    document: r.document_id === null ? null : { id: Number(r.document_id), version: r.document_version!, hash: r.document_hash! },
    bannerVersion: r.banner_version, at: Number(r.created_at), hash: r.hash,
  };
}

/** Records one consent event inside `trx` and updates the derived state. Bad input: 400 naming the field, nothing written. */
export async function recordConsent(kernel: Kernel, trx: Knex.Transaction, profile: PrivacyProfile, input: ConsentEvent): Promise<ConsentReceipt> {
  const parsed = ConsentEvent.safeParse(input);
  if (!parsed.success) throw validationError(zodIssues(parsed.error.issues, 'consent'));
  const e = parsed.data;
  let doc: { id: number; version: string; text_hash: string } | undefined;
  if (e.documentId) {
    doc = (await trx('consent_documents').where({ id: e.documentId, brand_id: e.brandId }).first('id', 'version', 'text_hash')) as typeof doc;
    if (!doc) throw validationError([fieldIssue('consent.documentId', 'validation.consent.noSuchDocument')]);
  }
  const key = subjectKey(kernel, e.brandId, e);
  // 37 characters: the receipt_id columns hold 40 (a dashed UUID would make 41, which MariaDB refuses).
  const receiptId = `rcpt_${crypto.randomUUID().replace(/-/g, '')}`;
  const at = e.at ?? Date.now();
  const row = {
    receipt_id: receiptId, brand_id: e.brandId, controller: profile.controller?.name ?? 'unknown', subject_id: e.subjectId, subject_key: key,
    purpose: e.purpose, action: e.action, method: e.method, channel: e.channel, collection_point: e.collectionPoint,
    document_id: doc ? Number(doc.id) : null, document_version: doc?.version ?? null, document_hash: doc?.text_hash ?? null, banner_version: e.bannerVersion ?? null,
    ip_hash: e.ip ? kernel.keyring.blindIndex(e.ip, 'ip') : null, ua_hash: e.userAgent ? kernel.keyring.blindIndex(e.userAgent, 'ua') : null,
    ip_enc: e.ip ? kernel.keyring.encryptSync(e.ip) : null, ua_enc: e.userAgent ? kernel.keyring.encryptSync(e.userAgent) : null, created_at: at,
  };
  const { seq, hash } = await consentChain.append(trx, row);
  const state = { subject_id: e.subjectId, action: e.action, method: e.method, receipt_id: receiptId, document_version: row.document_version, seq, updated_at: at };
  await trx('consent_state').insert({ brand_id: e.brandId, subject_key: key, purpose: e.purpose, ...state })
    .onConflict(['brand_id', 'subject_key', 'purpose']).merge(Object.keys(state));
  return toReceipt({ ...row, seq, hash } as unknown as LedgerRow);
}

/** Reads one receipt by id. */
export async function findReceipt(db: Knex | Knex.Transaction, receiptId: string): Promise<ConsentReceipt | undefined> {
  const r = (await db('consent_ledger').where({ receipt_id: receiptId }).first()) as LedgerRow | undefined;
  return r ? toReceipt(r) : undefined;
}

/** The derived state of one subject: purpose → last action (from the state table, kept in step with the ledger). */
export async function stateOf(db: Knex | Knex.Transaction, brandId: number, key: string): Promise<Partial<Record<ConsentPurpose, { action: ConsentAction; method: ConsentMethod; receiptId: string; documentVersion: string | null; at: number }>>> {
  const rows = (await db('consent_state').where({ brand_id: brandId, subject_key: key })) as { purpose: ConsentPurpose; action: ConsentAction; method: ConsentMethod; receipt_id: string; document_version: string | null; updated_at: number }[];
  const out: Partial<Record<ConsentPurpose, { action: ConsentAction; method: ConsentMethod; receiptId: string; documentVersion: string | null; at: number }>> = {};
  for (const r of rows) out[r.purpose] = { action: r.action, method: r.method, receiptId: r.receipt_id, documentVersion: r.document_version, at: Number(r.updated_at) };
  return out;
}
