/**
 * A consent receipt a person can download and keep: the ledger record in the field names of ISO/IEC TS 27560 and the
 * Kantara Consent Receipt, signed with Ed25519 over its canonical JSON (keys sorted, `signature` left out).
 */
import crypto from 'node:crypto';
import type { Brand } from '../../../core/brands/brand';
import { canonicalJson } from '../../../core/chain/hash-chain';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import type { ConsentMethod, ConsentReceipt } from '../ledger/consent-event';
import { createSignedLink } from '../../../core/links/signed-link';
import { receiptKey } from './receipt-key';

/** The purpose a receipt download link is signed for. */
export const RECEIPT_LINK_PURPOSE = 'receipt';

/** The signature block: algorithm, key id (published at /b/:brand/consent/receipt-key) and the base64url value. */
export interface ReceiptSignature { alg: 'EdDSA'; kid: string; value: string; signed: string }

/** The receipt as handed out (everything but `signature` is covered by the signature). */
export interface SignedReceipt {
  version: string;
  specification: string[];
  receiptId: string;
  piiPrincipalId: string;
  piiControllers: { piiController: string; contact: string | null; address: string | null; country: string | null }[];
  jurisdiction: string | null;
  brand: string;
  purpose: string;
  consentType: 'explicit' | 'implicit' | 'signal';
  consentStatus: ConsentReceipt['action'];
  collectionMethod: ConsentMethod;
  collectionChannel: string;
  collectionPoint: string;
  policy: { documentId: number; version: string; textHash: string; hashAlgorithm: 'sha256' } | null;
  bannerVersion: string | null;
  consentTimestamp: string;
  ledger: { chain: 'consent_ledger'; seq: number; hash: string };
  issuedAt: string;
  signature?: ReceiptSignature;
}

const TYPE: Record<ConsentMethod, SignedReceipt['consentType']> = {
  checkbox: 'explicit', 'double-opt-in': 'explicit', 'admin-written': 'explicit', link: 'explicit', banner: 'explicit',
  implied: 'implicit', default: 'implicit', gpc: 'signal',
};

/** The bytes a receipt's signature covers. */
export function receiptSigningInput(receipt: SignedReceipt): Buffer {
  const { signature: _omit, ...rest } = receipt;
  return Buffer.from(canonicalJson(rest), 'utf8');
}

/** Builds and signs the receipt for one ledger record. */
export function signReceipt(kernel: Kernel, brand: Brand, profile: PrivacyProfile, r: ConsentReceipt, issuedAt = Date.now()): SignedReceipt {
  const c = profile.controller;
  const receipt: SignedReceipt = {
    version: 'privacy-suite-consent-receipt/1',
    specification: ['ISO/IEC TS 27560:2023', 'Kantara Consent Receipt v1.1'],
    receiptId: r.receiptId,
    piiPrincipalId: r.subjectKey,
    piiControllers: [{ piiController: r.controller, contact: c?.email ?? null, address: c?.address || null, country: c?.country ?? null }],
    jurisdiction: c?.country ?? null,
    brand: brand.slug,
    purpose: r.purpose,
    consentType: TYPE[r.method],
    consentStatus: r.action,
    collectionMethod: r.method,
    collectionChannel: r.channel,
    collectionPoint: r.collectionPoint,
    policy: r.document ? { documentId: r.document.id, version: r.document.version, textHash: r.document.hash, hashAlgorithm: 'sha256' } : null,
    bannerVersion: r.bannerVersion,
    consentTimestamp: new Date(r.at).toISOString(),
    ledger: { chain: 'consent_ledger', seq: r.seq, hash: r.hash },
    issuedAt: new Date(issuedAt).toISOString(),
  };
  const key = receiptKey(kernel.keyring);
  const value = crypto.sign(null, receiptSigningInput(receipt), key.privateKey).toString('base64url');
  return { ...receipt, signature: { alg: 'EdDSA', kid: key.jwk.kid, value, signed: 'canonical JSON of every other field (keys sorted, no whitespace)' } };
}

/** A link token that lets one subject download their receipts for `ttlMs` (default 30 days). */
export function receiptLinkToken(kernel: Kernel, brandId: number, subjectId: number, ttlMs = 30 * 86_400_000): string {
  return createSignedLink(kernel, { brandId, subjectId, purpose: RECEIPT_LINK_PURPOSE, expiresAt: Date.now() + ttlMs });
}
