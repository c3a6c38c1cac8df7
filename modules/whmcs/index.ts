/**
 * whmcs: writes the suite's erasures and rectifications back into the brand's WHMCS through its API (issue 15 point 9):
 * an erased client is anonymised there with its contacts and users, then closed — never deleted, which would take
 * the invoices the law keeps, its tickets, email log and opt-in IPs anonymised too; a rectification goes there as
 * UpdateClient / UpdateContact; retention expires the WHMCS side of a category. All through the outbox. An access
 * request reads what WHMCS holds into the same export, page by page (issue 15 point 11, docs/whmcs-processor.md).
 */
import { defineModule } from '../../core/modules/define-module';
import { eraseOne } from '../../core/modules/erase-one';
import { whmcsOutbox } from './deliver';
import { whmcsExpire } from './expire';
import { whmcsExportSummary, whmcsRecords } from './export/whmcs-records';
import { recordNewClientHoldings, recordTicketOpened, recordTicketReply } from './holdings';
import { registerWhmcsCli } from './cli';
import { WHMCS_ERRORS } from './errors';
import { createWhmcsEchoMarks } from './migrations/202612061300-create-whmcs-echo-marks';
import { createWhmcsImportRuns } from './migrations/202612221300-create-whmcs-import-runs';
import { WhmcsSettings } from './settings';
import { whmcsEraseMany, whmcsRectify } from './write-back';

export { isWhmcsEcho } from './public';

export default defineModule({
  name: 'whmcs',
  version: '0.1.0',
  type: 'addon',
  description: "Writes erasures (anonymise, then close) and rectifications back into the brand's WHMCS through its API, via the outbox; exports what WHMCS holds for access requests and expires its side for retention; recognises the ClientEdit its own update fires; imports an existing WHMCS install (whmcs import).",
  settings: WhmcsSettings,
  migrations: [createWhmcsEchoMarks, createWhmcsImportRuns],
  errors: WHMCS_ERRORS,
  // `whmcs import --brand <slug>`: the initial import of an existing WHMCS install (docs/whmcs-import.md).
  cli: registerWhmcsCli,
  outbox: whmcsOutbox,
  // MS-9: what WHMCS holds of a client the suite does not (email log, opt-in history, tickets), as holdings for retention.
  hooks: { recordNewClientHoldings, recordTicketOpened, recordTicketReply },
  // It holds nothing of a person (echo marks are short-lived keyed hashes); its provider reads WHMCS for exports and tells it about erasures, corrections and expiries.
  storesPersonalData: false,
  personalData: {
    export: (subjectId, { kernel }) => whmcsExportSummary(subjectId, kernel),
    records: (subjectId, { kernel }) => whmcsRecords(subjectId, kernel),
    erase: eraseOne(whmcsEraseMany),
    eraseMany: whmcsEraseMany,
    rectify: (subjectId, changes, { kernel, trx, brand, profile }) => whmcsRectify(kernel, trx, subjectId, changes, brand, profile),
    expire: whmcsExpire,
  },
});
