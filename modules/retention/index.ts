/**
 * retention: keeps data only as long as each brand's rules allow (MS-9 / WSM-27, SP-8, SP-4, TOS-1.4). Rules per data
 * category from the profile's `retention` table, counted from an event; legal holds on a subject, a brand or a
 * category; a dry run and an approval gate; and the sweep — a scheduled job and `privacy-suite retention run` — in
 * resumable batches, anonymising whole subjects through the rights module's erasure.
 *
 * Stores no personal data of its own: holds name subject ids (the register's keys) with an encrypted note meant for
 * a case number; run reports hold counts, subject ids and dates. So `storesPersonalData` is false — a hold outlives
 * the erasure of its subject as the record of why the sweep kept it.
 */
import { defineModule } from '../../core/modules/define-module';
import { holdRoutes } from './http/hold-routes';
import { ruleRoutes } from './http/rule-routes';
import { runRoutes } from './http/run-routes';
import { createRetentionTables } from './migrations/202612081200-create-retention-tables';
import { addRetentionTurns } from './migrations/202612151000-add-retention-turns';
import { registerRetentionCli } from './cli';
import { RETENTION_ERRORS } from './errors';
import { RetentionService } from './retention-service';
import { RetentionSettings } from './settings';
import { sweepJob } from './sweep/sweep-job';
import { retentionAdminPages, retentionAdminNav } from './admin-pages';
import { retentionDashboard } from './admin-pages/dashboard';
import { clientStatusEndpoint } from './http/client-status-endpoint';

export default defineModule({
  name: 'retention',
  version: '0.1.0',
  type: 'addon',
  description: 'Applies each brand\'s retention rules (anonymise, delete, strip) after their period, except what legal holds keep; dry runs, approvals, and a resumable, batched sweep with a run report.',
  settings: RetentionSettings,
  migrations: [createRetentionTables, addRetentionTurns],
  requires: ['rights'],
  service: (kernel) => new RetentionService(kernel),
  adminNav: retentionAdminNav,
  dashboard: (ctx) => retentionDashboard(ctx),
  routes: {
    pages: (r, k) => retentionAdminPages(r, k),
    root: (r, k) => clientStatusEndpoint(r, k), // the WHMCS connector's client summary, POST /api/v1/connector/client-status
    admin: (r, k) => {
      ruleRoutes(r, k);
      holdRoutes(r, k);
      runRoutes(r, k);
    },
  },
  jobs: [sweepJob],
  errors: RETENTION_ERRORS,
  cli: registerRetentionCli,
  stop: (k) => k.service<RetentionService>('retention').stop(),
  storesPersonalData: false,
  encryptedColumns: [{ table: 'retention_holds', id: 'id', columns: ['note_enc'] }],
});
