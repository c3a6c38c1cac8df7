/** rdap: the registration data of the domains a brand holds, over RDAP (RFC 9082/9083) and WHOIS (RFC 3912, `WHOIS_PORT`), redacted per ICANN's Registration Data Policy (RFC 9537; WSM-16a, WSM-17). */
import { defineModule } from '../../core/modules/define-module';
import { rdapRoutes } from './rdap-routes';
import { RdapSettings } from './settings';
import { rdapService, startWhois, stopWhois } from './whois';

export default defineModule({
  name: 'rdap',
  version: '0.1.0',
  type: 'addon',
  description: 'Answers RDAP domain queries from the registrant module\'s records: personal data redacted (RFC 9537) unless consented to publish; the privacy service under ID protection.',
  settings: RdapSettings,
  routes: { root: rdapRoutes },
  requires: ['registrant'],
  storesPersonalData: false,
  service: rdapService,
  start: startWhois,
  stop: stopWhois,
});
