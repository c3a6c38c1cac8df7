/**
 * The part of a gateway's personal-data provider that is the same for every processor: the export (tokens and the
 * payments a subject made) and the local half of an erasure (the tokens go; the payments stay, as billing records
 * holding only opaque ids and amounts, MS-9 / TOS-1.4). What reaches the processor is the gateway's own `queue`.
 */
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';
import type { Brand } from '../../../core/brands/brand';
import type { PrivacyProfile } from '../../../core/profile/schema';
import type { EraseOutcome, ErasureBatchKnown, PersonalDataProvider } from '../../../core/modules/define-module';
import { eraseOne, type EraseMany } from '../../../core/modules/erase-one';
import type { GatewayName } from './contract';
import { Payments } from './payments';
import { PaymentTokens, type StoredToken } from './tokens';

/** What a gateway queues at the processor for the subjects being erased (outbox ids per subject), and says it keeps. */
export type QueueErasure = (ctx: {
  kernel: Kernel; trx: Knex.Transaction; brand: Brand; profile?: PrivacyProfile; subjectIds: number[]; tokens: StoredToken[]; known?: ErasureBatchKnown;
}) => Promise<{ queued: Map<number, number[]>; kept: (subjectId: number) => string[] }>;

/** A subject's export: tokens (card brand, last four, expiry, processor ids) and payments (invoice, amount, status). */
export async function gatewayExport(g: GatewayName, kernel: Kernel, subjectId: number, trx?: Knex.Transaction): Promise<Record<string, unknown>> {
  const db = trx ?? kernel.db;
  const tokens = await new PaymentTokens(g, kernel.keyring).ofSubjects(db, [subjectId]);
  const payments = await new Payments(g).ofSubjects(db, [subjectId]);
  return {
    paymentTokens: tokens.map((t) => ({ ...t.token, savedAt: new Date(t.createdAt).toISOString() })),
    payments: payments.map((p) => ({
      invoiceId: p.invoiceId, reference: p.reference, transactionId: p.transactionId, status: p.status, amount: p.amount, refunded: p.refunded,
      currency: p.currency, createdAt: new Date(p.createdAt).toISOString(),
    })),
  };
}

/** The provider: export, and an erasure that deletes the tokens and lets the gateway queue the processor's side. */
export function gatewayPersonalData(g: GatewayName, queue: QueueErasure): PersonalDataProvider {
  const eraseMany: EraseMany = async (subjectIds, { kernel, trx, brand, profile, known }) => {
    const store = new PaymentTokens(g, kernel.keyring);
    const tokens = await store.ofSubjects(trx, subjectIds);
    const { queued, kept } = await queue({ kernel, trx, brand, profile, subjectIds, tokens, known });
    await store.deleteOf(trx, subjectIds);
    const out = new Map<number, EraseOutcome>();
    for (const id of subjectIds) {
      out.set(id, { erased: tokens.filter((t) => t.subjectId === id).length, kept: kept(id), queued: queued.get(id) ?? [] });
    }
    return out;
  };
  return {
    export: (subjectId, { kernel, trx }) => gatewayExport(g, kernel, subjectId, trx),
    eraseMany,
    erase: eraseOne(eraseMany),
  };
}
