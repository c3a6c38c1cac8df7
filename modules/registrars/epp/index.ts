/** registrars/epp: an EPP registrar (RFC 5730–5734) over TLS with a client certificate; holds nothing at rest. */
import { defineModule } from '../../../core/modules/define-module';
import { EppSettings } from './settings';
import { EppRegistrarCache, MODULE_NAME } from './registrar-cache';

export { createEppRegistrar, EppRegistrar, HOLD_STATUS, LOCK_STATUS, type EppRegistrarOptions } from './epp-registrar';
export { EppRegistrarCache } from './registrar-cache';

export default defineModule({
  name: MODULE_NAME,
  version: '0.1.0',
  type: 'registrar',
  description: 'EPP registrar (RFC 5730–5734): TLS with client certificate, contacts with disclose flags, domains, poll queue; the lock is clientTransferProhibited, a suspension clientHold.',
  settings: EppSettings,
  service: (kernel) => new EppRegistrarCache(kernel),
  // Graceful shutdown logs out of every open EPP session.
  stop: async (kernel) => { await kernel.service<EppRegistrarCache>(MODULE_NAME).closeAll(); },
  storesPersonalData: false,
});
