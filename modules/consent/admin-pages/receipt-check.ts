/**
 * Checks a receipt the way a person's copy would be checked, plus what only the ledger can tell: the Ed25519 signature
 * verifies under the published key, and the ledger record it was built from still hashes to the hash it states (the
 * record was not changed after it was written; the same test as `privacy-suite ledger verify` on that one row).
 */
import crypto from 'node:crypto';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { ConsentReceipt } from '../ledger/consent-event';
import { consentChain } from '../ledger/consent-ledger';
import { receiptKey } from '../receipts/receipt-key';
import { receiptSigningInput, signReceipt, type SignedReceipt } from '../receipts/signed-receipt';

/** The signed receipt and the two checks; `ok` when both hold. */
export interface ReceiptCheck { receipt: SignedReceipt; signatureOk: boolean; recordIntact: boolean; ok: boolean; kid: string }

/** Signs the receipt of a ledger record and checks its signature and the record's own hash. */
export async function checkReceipt(kernel: Kernel, brand: Brand, record: ConsentReceipt): Promise<ReceiptCheck> {
  const receipt = signReceipt(kernel, brand, await kernel.brands.profile(brand), record);
  const key = receiptKey(kernel.keyring);
  const signatureOk = receipt.signature !== undefined && receipt.signature.kid === key.jwk.kid
    && crypto.verify(null, receiptSigningInput(receipt), key.publicKey, Buffer.from(receipt.signature.value, 'base64url'));
  const segment = await consentChain.checkSegment(kernel.db, record.seq - 1, record.seq, 1);
  const recordIntact = segment.checked === 1 && !segment.failure && segment.last?.hash === record.hash;
  return { receipt, signatureOk, recordIntact, ok: signatureOk && recordIntact, kid: key.jwk.kid };
}
