/** What other modules use of the whmcs module: recognising the ClientEdit and ContactEdit that the suite's own write-back makes WHMCS fire, and a client's pay methods (the Stripe gateway erases the Stripe customers WHMCS saved). */
import type { Knex } from 'knex';
import type { Brand } from '../../core/brands/brand';
import type { Kernel } from '../../core/kernel';
import { isOwnEcho } from './echo-marks';

/**
 * Whether a ClientEdit (ContactEdit) is the echo of the suite's own UpdateClient (UpdateContact): ignore it, nothing
 * changed that the suite did not already know. False where the whmcs module is not installed. Call it first in a
 * ClientEdit or ContactEdit handler.
 */
export async function isWhmcsEcho(ctx: { kernel: Kernel; trx: Knex.Transaction; brand: Brand; hook: string; vars: object }): Promise<boolean> {
  if (!ctx.kernel.modules.get('whmcs')) return false;
  return isOwnEcho(ctx.kernel, ctx.trx, ctx.brand.id, ctx.vars as Record<string, unknown>, ctx.hook === 'ContactEdit' ? 'contact' : 'client');
}
export { deleteWhmcsPayMethod, whmcsPayMethods, whmcsWritesBack, type WhmcsPayMethod } from './pay-methods';
