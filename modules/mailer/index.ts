/** mailer: outgoing email over SMTP (SUITE_SMTP_URL) for the other modules' outbox deliverers; stores nothing. */
import { defineModule } from '../../core/modules/define-module';
import { MailerSettings } from './mail-settings';
import { MailerService } from './mailer-service';

export default defineModule({
  name: 'mailer',
  version: '0.1.0',
  type: 'addon',
  description: 'Sends email notices over SMTP for other modules (From: the brand controller\'s name at SUITE_MAIL_FROM); stores no personal data.',
  settings: MailerSettings,
  service: (kernel) => new MailerService(kernel),
  storesPersonalData: false,
});
