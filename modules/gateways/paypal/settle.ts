/**
 * A paid capture settled on the platform (InvoicePaid through PlatformService.pay) and in the module's records: the
 * payment row paid, and the payment token (PayPal payer id, vault token) kept for whoever paid. A payer whose PayPal
 * e-mail is not the client's is a third party and becomes its own subject, linked to the invoice (ESM-2).
 */
import type { Brand } from '../../../core/brands/brand';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { PlatformService } from '../../platform';
import { Payments, type PaymentRow } from '../kit/payments';
import { PaymentTokens } from '../kit/tokens';
import type { CaptureFacts, CapturePayer } from './order-facts';

const payments = new Payments('paypal');

/** The payer details to record when PayPal's payer is not the client (ESM-2), or undefined when it is (or is unnamed). */
async function thirdPartyPayer(platform: PlatformService, clientId: number, payer: CapturePayer): Promise<{ firstname: string; lastname: string; email: string } | undefined> {
  if (!payer.email || !payer.firstname || !payer.lastname) return undefined;
  const client = await platform.client(clientId);
  const own = String(client.details?.email ?? '').trim().toLowerCase();
  if (own === payer.email.trim().toLowerCase()) return undefined;
  return { firstname: payer.firstname, lastname: payer.lastname, email: payer.email };
}

/** Whether an error is the platform saying the invoice is already paid (a webhook and the return page raced). */
const alreadyPaid = (err: unknown): boolean => err instanceof SuiteError && err.code === 'SUITE_PLATFORM_STATE';

/**
 * Marks the invoice paid (once: an invoice already paid is left as it is) and the payment row paid, and saves the
 * token. Safe to run again for the same capture.
 */
export async function settlePaid(kernel: Kernel, brand: Brand, row: PaymentRow, facts: CaptureFacts): Promise<number | null> {
  const platform = kernel.service<PlatformService>('platform');
  let invoice = await platform.invoice(row.invoiceId);
  let subjectId = row.subjectId;
  if (invoice.status === 'unpaid') {
    const payer = await thirdPartyPayer(platform, invoice.clientId, facts.payer);
    try {
      const paid = await platform.pay(row.invoiceId, payer ? { payer } : {});
      if (paid.payerSubjectId !== null) subjectId = paid.payerSubjectId;
    } catch (err) {
      if (!alreadyPaid(err)) throw err;
      invoice = await platform.invoice(row.invoiceId);
    }
  }
  if (invoice.status === 'paid' && invoice.payerId !== null) {
    subjectId = (await kernel.subjects.findByExternal(brand.id, 'payer', invoice.payerId))?.id ?? subjectId;
  }
  await kernel.keyring.activeKeyId();
  await kernel.db.transaction(async (trx) => {
    await payments.update(trx, row.id, { status: 'paid', transactionId: facts.captureId, subjectId, failureCode: null });
    if (subjectId !== null && (facts.payer.payerId || facts.vaultTokenId)) {
      await new PaymentTokens('paypal', kernel.keyring).save(trx, {
        brandId: brand.id, subjectId, token: { payerId: facts.payer.payerId ?? undefined, vaultTokenId: facts.vaultTokenId ?? undefined },
      });
    }
  });
  return subjectId;
}
