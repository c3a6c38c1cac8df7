/**
 * rights: a person's requests from intake to a proven answer, on time — confirm, access and portability (export),
 * rectify, erase, restrict, object, withdraw consent — with identity verification, due dates in business days,
 * reseller routing, legal disclosures, partner exports, k-anonymous aggregates and records of processing.
 */
import { defineModule } from '../../core/modules/define-module';
import { EXPORT_READY_TOPIC, deliverExportReady } from './export/export-email';
import { exportClientRoutes } from './export/export-routes';
import { purgeExportsJob } from './export/purge-exports';
import { erasureAdminRoutes } from './erase/erase-routes';
import { resumeInBackground, stopBackground } from './erase/run-background';
import { statutoryExpiryJob } from './erase/statutory-expiry-job';
import { requestAdminRoutes } from './http/request-routes';
import { openFromPanel } from './hooks/open-from-panel';
import { eraseBeforeDelete } from './hooks/erase-before-delete';
import { processorKeyGuard } from './requests/routing';
import { publicRequestRoutes } from './http/public-routes';
import { dueReminderJob, REMINDER_TOPIC } from './jobs/due-reminder-job';
import { deliverDueReminder } from './jobs/reminder-email';
import { deliverVerificationCode } from './verify/code-email';
import { CODE_TOPIC } from './verify/public-intake';
import { createRightsTables } from './migrations/202612011200-create-rights-tables';
import { addDisclosureColumns } from './migrations/202612011320-add-disclosure-columns';
import { aggregateRoutes } from './disclosures/aggregate-routes';
import { legalDisclosureRoutes } from './disclosures/legal-routes';
import { partnerExportRoutes } from './disclosures/partner-routes';
import { recordsRoutes } from './records/records-routes';
import { addExportKey } from './migrations/202612011310-add-export-key';
import { addErasureIndexes } from './migrations/202612011340-add-erasure-indexes';
import { addErasureBatches } from './migrations/202612121000-add-erasure-batches';
import { rightsPersonalData } from './personal-data';
import { deliverLiftNotice, LIFT_NOTICE_TOPIC } from './restrict/lift-notice';
import { restrictAdminRoutes } from './restrict/restrict-routes';
import { RightsService } from './rights-service';
import { registerRights } from './cli';
import { RIGHTS_ERRORS } from './errors';
import { RightsSettings } from './settings';
import { rightsAdminPages, rightsAdminNav } from './admin-pages';
import { centerRequestRoutes } from './privacy-center/center-requests';
import { rightsDashboard } from './admin-pages/dashboard';

export default defineModule({
  name: 'rights',
  version: '0.1.0',
  type: 'addon',
  description: 'Answers data subject requests (confirm, access, portability, rectify, erase, restrict, object, withdraw consent) on time, with identity verification, and propagates corrections and erasures to every module and processor.',
  settings: RightsSettings,
  migrations: [createRightsTables, addExportKey, addDisclosureColumns, addErasureIndexes, addErasureBatches],
  requires: ['consent', 'registrant', 'mailer'],
  hooks: { openFromPanel, eraseBeforeDelete },
  errors: RIGHTS_ERRORS,
  cli: registerRights,
  service: (kernel) => new RightsService(kernel),
  adminNav: rightsAdminNav,
  dashboard: (ctx) => rightsDashboard(ctx),
  routes: {
    pages: (r, k) => rightsAdminPages(r, k),
    root: (r, k) => centerRequestRoutes(r, k), // the privacy center's requests, /b/:brand/privacy/requests
    client: (r, k) => {
      exportClientRoutes(r, k);
      publicRequestRoutes(r, k);
    },
    admin: (r, k) => {
      r.use(processorKeyGuard(k)); // first: a provider's key is only the processor on its resellers' routes (WSM-25)
      requestAdminRoutes(r, k);
      legalDisclosureRoutes(r, k);
      partnerExportRoutes(r, k);
      aggregateRoutes(r, k);
      recordsRoutes(r, k);
      erasureAdminRoutes(r, k);
      restrictAdminRoutes(r, k);
    },
  },
  jobs: [purgeExportsJob, dueReminderJob, statutoryExpiryJob],
  outbox: { [EXPORT_READY_TOPIC]: deliverExportReady, [CODE_TOPIC]: deliverVerificationCode, [REMINDER_TOPIC]: deliverDueReminder, [LIFT_NOTICE_TOPIC]: deliverLiftNotice },
  /** Unfinished erasure runs (a crash, a restart) carry on in the background; shutdown stops them between two subjects. */
  start: (k) => resumeInBackground(k),
  stop: (k) => stopBackground(k),
  storesPersonalData: true,
  personalData: rightsPersonalData,
  encryptedColumns: [
    { table: 'rights_requests', id: 'id', columns: ['requester_enc', 'result_enc'] },
    { table: 'rights_statutory_records', id: 'id', columns: ['fields_enc'] },
    { table: 'rights_disclosure_requests', id: 'id', columns: ['requester_enc', 'decision_note_enc'] },
    { table: 'rights_erasures', id: 'id', columns: ['result_enc'] },
    { table: 'rights_erasure_batches', id: 'id', columns: ['result_enc'] },
    { table: 'rights_exports', id: 'id', columns: ['key_enc'] },
  ],
});
