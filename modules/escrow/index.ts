/**
 * escrow: registrar data escrow deposits (issue 17 point 1, WSM-16b). ICANN's 2024 CSV or the 2007 domain + handle
 * files per brand, full on one day of the week and incremental the others, with the real registrant behind a privacy
 * service; split into parts, a SHA-256 hash file, every file encrypted to the escrow agent's OpenPGP key and signed
 * with the registrar's; delivered through the outbox to the agent's SFTP server or a directory; each deposit logged
 * as a disclosure to the agent. A scheduled job and `privacy-suite escrow deposit [--full] [--brand]`.
 *
 * Stores no personal data of its own: deposit rows hold counts and file names; the staged files (encrypted) are
 * removed once delivered.
 */
import { defineModule } from '../../core/modules/define-module';
import { deliverDeposit } from './delivery/deliver';
import { DELIVER_TOPIC } from './deposit/build-deposit';
import { depositJob } from './deposit-job';
import { ESCROW_ERRORS } from './errors';
import { EscrowService } from './escrow-service';
import { createEscrowTables } from './migrations/202612300900-create-escrow-tables';
import { EscrowSettings } from './settings';

export default defineModule({
  name: 'escrow',
  version: '0.1.0',
  type: 'addon',
  description: 'Builds the registrar data escrow deposits (ICANN CSV, full and incremental), encrypted and signed for the escrow agent, and delivers them by SFTP or to a directory.',
  settings: EscrowSettings,
  migrations: [createEscrowTables],
  requires: ['registrant'],
  errors: ESCROW_ERRORS,
  jobs: [depositJob],
  outbox: { [DELIVER_TOPIC]: deliverDeposit },
  service: (kernel) => new EscrowService(kernel),
  storesPersonalData: false,
});
