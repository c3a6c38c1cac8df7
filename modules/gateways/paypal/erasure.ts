/**
 * The PayPal side of an erasure (MS-8f): the subject's vault tokens are deleted at PayPal through the outbox
 * (`paypal.vault.delete`, retried until PayPal answers; a token already gone counts as deleted). PayPal has no API to
 * delete a payer's data, so the answer names what stays there and why. Nothing to rectify: PayPal holds no customer
 * record of the suite's (the payer's account is their own, at PayPal).
 */
import { z } from 'zod';
import { SuiteError } from '../../../core/errors';
import type { OutboxDeliverer } from '../../../core/modules/define-module';
import { moduleSettings } from '../../../core/profile/module-settings';
import { requireTransfer } from '../../../core/registers/processing-register';
import { Payments } from '../kit/payments';
import type { QueueErasure } from '../kit/personal-data';
import { logFailure, paypalApi, processorFailed } from './client';
import { PaypalSettings } from './settings';

export const VAULT_DELETE = 'paypal.vault.delete';

/** Why a vault delete goes out even for a restricted subject: it is the erasure itself (Art. 17), not a use of the data. */
export const ERASURE_PURPOSE = 'legal';

/** What stays at PayPal after an erasure, and why (plain sentences for the erasure's answer). */
export const KEPT_AT_PAYPAL = [
  "at PayPal, the payer's PayPal account and the orders and captures of the payments made through it: PayPal is an independent controller of its account data and keeps transaction records under its own legal duties (it offers no API to delete them); the person can ask PayPal directly",
];

const VaultPayload = z.object({ vaultTokenId: z.string().min(1).max(255) });

/** Queues a vault delete per vault token of the subjects being erased, in the erasure's transaction. */
export const queuePaypalErasure: QueueErasure = async ({ kernel, trx, brand, profile, subjectIds, tokens }) => {
  const queued = new Map<number, number[]>();
  const notSent = new Set<number>();
  const vaulted = tokens.filter((t) => t.token.vaultTokenId);
  if (vaulted.length) {
    const p = profile ?? (await kernel.brands.profile(brand));
    const s = moduleSettings(PaypalSettings, p, 'gateways/paypal');
    let registered = true;
    try {
      requireTransfer(p, s.recipient, ERASURE_PURPOSE);
    } catch (err) {
      if (!(err instanceof SuiteError)) throw err;
      registered = false;
    }
    for (const t of vaulted) {
      if (!registered) { notSent.add(t.subjectId); continue; }
      const { id } = await kernel.outbox.enqueue(trx, p, {
        brandId: brand.id, topic: VAULT_DELETE, payload: { vaultTokenId: t.token.vaultTokenId }, recipient: s.recipient, purpose: ERASURE_PURPOSE,
        subjectId: t.subjectId, categories: ['payment-token'], idempotencyKey: `${VAULT_DELETE}:${brand.id}:${t.subjectId}:${t.id}`,
      });
      queued.set(t.subjectId, [...(queued.get(t.subjectId) ?? []), id]);
    }
  }
  // Only those who paid through PayPal (or hold a token) have anything there.
  const paid = new Set([...(await new Payments('paypal').ofSubjects(trx, subjectIds)).map((r) => r.subjectId), ...tokens.map((t) => t.subjectId)]);
  const kept = (id: number): string[] => {
    if (!paid.has(id)) return [];
    const out = [...KEPT_AT_PAYPAL];
    if (notSent.has(id)) out.push(`the vault token at PayPal NOT deleted: recipient and purpose "${ERASURE_PURPOSE}" are not in the brand's register for PayPal`);
    return out;
  };
  return { queued, kept };
};

/** 'paypal.vault.delete': DELETE /v3/vault/payment-tokens/{id}; 404 is done (already gone); anything else throws to retry. */
export const deliverVaultDelete: OutboxDeliverer = async (msg, kernel) => {
  const brand = await kernel.brands.getById(msg.brandId);
  // Not the enabled check: a brand that switched PayPal off still owes the deletion.
  const s = PaypalSettings.parse(await kernel.settings('gateways/paypal', brand));
  const { vaultTokenId } = VaultPayload.parse(msg.payload);
  const api = paypalApi(s);
  try {
    await api.vault.deletePaymentToken(vaultTokenId);
  } catch (err) {
    const f = logFailure(kernel.log, 'vault.delete', err);
    if (f.status !== 404) throw processorFailed(f);
  }
  await kernel.audit.record({ brandId: brand.id, actor: { type: 'system', id: 'outbox' }, action: 'paypal.vault.deleted', targetType: 'outbox', targetId: msg.id, details: { attempt: msg.attempt } });
};
