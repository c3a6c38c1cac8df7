/** platform: the reference hosting-billing platform (clients, contacts, services, domains, invoices, payers) whose lifecycle fires WHMCS's hooks. */
import { z } from 'zod';
import { defineModule } from '../../core/modules/define-module';
import type { Kernel } from '../../core/kernel';
import { createClientTables } from './migrations/202611240100-create-client-tables';
import { createBillingTables } from './migrations/202611240110-create-billing-tables';
import { createActivityLog } from './migrations/202612011300-create-activity-log';
import { suspendOnAbuse } from './actions/suspend-on-abuse';
import { PLATFORM_ERRORS } from './errors';
import { platformPersonalData } from './personal-data';
import { PlatformService } from './platform-service';

/** The platform's migrations, oldest first (exported so tests can roll them down and up). */
export const PLATFORM_MIGRATIONS = [createClientTables, createBillingTables, createActivityLog];

/** The platform module definition. */
export default defineModule({
  name: 'platform',
  version: '1.0.0',
  type: 'addon',
  description: 'The reference hosting-billing platform: sign-up, orders, invoices, payments, domains, cancellations and abuse, firing the hooks a WHMCS install would.',
  settings: z.object({}).passthrough(),
  migrations: PLATFORM_MIGRATIONS,
  hooks: { suspendOnAbuse },
  errors: PLATFORM_ERRORS,
  storesPersonalData: true,
  personalData: platformPersonalData,
  encryptedColumns: [
    { table: 'platform_clients', id: 'id', columns: ['personal_enc'] },
    { table: 'platform_contacts', id: 'id', columns: ['personal_enc'] },
    { table: 'platform_payers', id: 'id', columns: ['personal_enc'] },
    { table: 'platform_activity_log', id: 'id', columns: ['ip_enc'] },
  ],
  service: (kernel: Kernel) => new PlatformService(kernel),
});

/** The service class, for callers that type `kernel.service<PlatformService>('platform')`. */
export { PlatformService } from './platform-service';
