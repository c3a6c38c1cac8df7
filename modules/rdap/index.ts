/** rdap: the registration data of the domains a brand holds, over RDAP (RFC 9082/9083) and WHOIS (RFC 3912, `WHOIS_PORT`), redacted per ICANN's Registration Data Policy (RFC 9537; WSM-16a, WSM-17), and the contact form behind a redacted email. */
import { defineModule } from '../../core/modules/define-module';
import { contactRoutes } from './contact/contact-routes';
import { contactOutbox } from './contact/relay-mail';
import { contactScrubJob } from './contact/scrub-job';
import { createRdapNameservers } from './nameservers/nameserver-store';
import { recordRegisteredNameservers, recordTransferredNameservers } from './nameservers/record-nameservers';
import { rdapRoutes } from './rdap-routes';
import { RdapSettings } from './settings';
import { rdapService, startWhois, stopWhois } from './whois';

export default defineModule({
  name: 'rdap',
  version: '0.1.0',
  type: 'addon',
  description: 'Answers RDAP domain queries from the registrant module\'s records: personal data redacted (RFC 9537) unless consented to publish; the privacy service under ID protection. Relays contact form messages to a domain\'s contact without revealing an address.',
  settings: RdapSettings,
  // The name servers the registrar hooks hand over, for /rdap/nameserver look-ups.
  migrations: [createRdapNameservers],
  hooks: { recordRegisteredNameservers, recordTransferredNameservers },
  routes: {
    root: (r, k) => {
      contactRoutes(r, k); // /rdap/contact/:domain, before the RDAP routes' catch-all for /rdap/*
      rdapRoutes(r, k);
    },
  },
  requires: ['registrant', 'mailer'],
  outbox: contactOutbox,
  jobs: [contactScrubJob],
  storesPersonalData: false,
  service: rdapService,
  start: startWhois,
  stop: stopWhois,
});
