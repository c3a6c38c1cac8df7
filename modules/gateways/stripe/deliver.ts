/**
 * The outbox deliverers: each throws while Stripe (or WHMCS) does not answer, so the outbox retries with backoff; a
 * customer Stripe no longer has (404 resource_missing) is already deleted, which is what was asked. Errors name the
 * step and Stripe's code, never a value.
 */
import type { Kernel } from '../../../core/kernel';
import type { OutboxDeliverer } from '../../../core/modules/define-module';
import { deleteWhmcsPayMethod, whmcsPayMethods } from '../../whmcs/public';
import { brandContext } from './context';
import { DELETE_CUSTOMER, UPDATE_CUSTOMER } from './erasure';
import { DETACH_PAYMENT_METHOD } from './settle';
import { failureOf, stripeClient } from './stripe-client';

const gone = (err: unknown): boolean => {
  const f = failureOf(err);
  return f.status === 404 || f.code === 'resource_missing';
};

const failed = (step: string, err: unknown): Error => {
  const f = failureOf(err);
  return new Error(`Stripe ${step} failed: ${f.code}${f.status ? ` (HTTP ${f.status})` : ''}`);
};

/**
 * The Stripe customer ids in a WHMCS pay method's `remote_token`: WHMCS's Stripe module stores JSON
 * `{"customer":"cus_…","method":"pm_…"}`; older installs the bare `cus_…`.
 */
export function customersOfRemoteToken(token: string): string[] {
  const t = token.trim();
  if (/^cus_[A-Za-z0-9]+$/.test(t)) return [t];
  try {
    const j = JSON.parse(t) as { customer?: unknown };
    return typeof j.customer === 'string' && /^cus_[A-Za-z0-9]+$/.test(j.customer) ? [j.customer] : [];
  } catch {
    return [];
  }
}

async function deleteCustomer(kernel: Kernel, brandId: number, customerId: string, idempotencyKey: string): Promise<'deleted' | 'gone'> {
  const ctx = await brandContext(kernel, await kernel.brands.getById(brandId));
  try {
    await stripeClient(ctx.settings).customers.del(customerId, {}, { idempotencyKey });
    return 'deleted';
  } catch (err) {
    if (gone(err)) return 'gone';
    throw failed('customers.del', err);
  }
}

/** 'stripe.customer.delete': `{customerId}`, or `{whmcsClientId}`: the customers WHMCS's Stripe gateway saved, then those pay methods in WHMCS. */
const deliverDelete: OutboxDeliverer = async (msg, kernel) => {
  const { customerId, whmcsClientId } = msg.payload as { customerId?: string; whmcsClientId?: number };
  const done = { deleted: 0, gone: 0, payMethods: 0 };
  if (typeof customerId === 'string') done[await deleteCustomer(kernel, msg.brandId, customerId, msg.idempotencyKey)] += 1;
  if (typeof whmcsClientId === 'number') {
    const methods = (await whmcsPayMethods(kernel, msg.brandId, whmcsClientId)).filter((m) => /stripe/i.test(m.gatewayName));
    for (const m of methods) {
      for (const c of customersOfRemoteToken(m.remoteToken)) done[await deleteCustomer(kernel, msg.brandId, c, `${msg.idempotencyKey}:${c}`)] += 1;
      await deleteWhmcsPayMethod(kernel, msg.brandId, whmcsClientId, m.id);
      done.payMethods += 1;
    }
  }
  await kernel.audit.record({ brandId: msg.brandId, actor: { type: 'system', id: 'outbox' }, action: 'stripe.customer.deleted', targetType: 'outbox', targetId: msg.id, details: { attempt: msg.attempt, ...done } });
};

/** 'stripe.customer.update': the corrected e-mail and name (a customer already deleted has nothing to correct). */
const deliverUpdate: OutboxDeliverer = async (msg, kernel) => {
  const { customerId, email, name } = msg.payload as { customerId: string; email?: string; name?: string };
  const ctx = await brandContext(kernel, await kernel.brands.getById(msg.brandId));
  try {
    await stripeClient(ctx.settings).customers.update(customerId, { ...(email !== undefined ? { email } : {}), ...(name !== undefined ? { name } : {}) }, { idempotencyKey: msg.idempotencyKey });
  } catch (err) {
    if (!gone(err)) throw failed('customers.update', err);
  }
};

/** 'stripe.payment-method.detach': a payment method off the customer it was saved to (one no longer attached is done). */
const deliverDetach: OutboxDeliverer = async (msg, kernel) => {
  const { paymentMethodId } = msg.payload as { paymentMethodId: string };
  const ctx = await brandContext(kernel, await kernel.brands.getById(msg.brandId));
  try {
    await stripeClient(ctx.settings).paymentMethods.detach(paymentMethodId, {}, { idempotencyKey: msg.idempotencyKey });
  } catch (err) {
    if (!gone(err) && failureOf(err).code !== 'payment_method_unexpected_state') throw failed('paymentMethods.detach', err);
  }
};

export const stripeOutbox = { [DELETE_CUSTOMER]: deliverDelete, [UPDATE_CUSTOMER]: deliverUpdate, [DETACH_PAYMENT_METHOD]: deliverDetach };
