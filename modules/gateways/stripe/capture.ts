/** `<m>_capture`: after the customer came back from Checkout, the session read (with its payment) and applied as a webhook would be. */
import type { Brand } from '../../../core/brands/brand';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { CaptureResult } from '../kit/contract';
import { gatewayError } from '../kit/errors';
import { Payments } from '../kit/payments';
import { brandContext } from './context';
import { requireEnabled } from './settings';
import { applyDeclined, applyPaid, rowOfSession, sessionStatus } from './settle';
import { expandedSession } from './webhook';

const payments = new Payments('stripe');

export async function captureSession(kernel: Kernel, b: Brand, reference: string): Promise<CaptureResult> {
  const ctx = await brandContext(kernel, b);
  requireEnabled(ctx.settings);
  const read = expandedSession(ctx, reference);
  const session = await read().catch((err: unknown) => {
    if (err instanceof SuiteError && (err.params?.status === 404 || err.params?.code === 'resource_missing')) throw gatewayError('stripe', 'CHECKOUT_UNKNOWN', { reference: reference.slice(0, 80) });
    throw err;
  });
  const row = await rowOfSession(kernel, ctx, session);
  if (!row) throw gatewayError('stripe', 'CHECKOUT_UNKNOWN', { reference: reference.slice(0, 80) });
  const status = sessionStatus(session);
  const pi = typeof session.payment_intent === 'object' ? session.payment_intent : null;
  // The session was just read: the paid path reuses it instead of reading it again.
  if (status === 'paid') await applyPaid(kernel, ctx, row, null, async () => session);
  if (status === 'declined') {
    await applyDeclined(kernel, ctx, row, null, { code: pi?.last_payment_error?.decline_code ?? pi?.last_payment_error?.code ?? session.status ?? 'declined', paymentIntent: pi?.id ?? null });
  }
  const now = (await payments.byReference(kernel.db, ctx.brand.id, row.reference))!;
  return { status: now.status, reference: row.reference, transactionId: now.transactionId };
}
