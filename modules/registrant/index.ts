/** registrant: the contacts a registry needs (WSM-2), domain privacy and the reveal workflow (WSM-17), consent to publish, rectification at the registrar (MS-8e). */
import { defineModule } from '../../core/modules/define-module';
import { recordRegistration, recordRenewal } from './actions/after-registrar';
import { recordContactsSaved, recordTransfer } from './actions/after-registrar-contacts';
import { checkRegistrationContacts, checkTransferContacts } from './actions/pre-registrar';
import { rectifyClientContacts, rectifyContactContacts } from './actions/rectify';
import { REGISTRANT_ERRORS } from './errors';
import { eventsEndpoint } from './events/events-endpoint';
import { contactsEndpoint } from './http/contacts-endpoint';
import { domainAdminRoutes } from './http/domain-admin-routes';
import { idProtectionEndpoint } from './http/id-protection-endpoint';
import { publishClientRoutes } from './publish/publish-client-routes';
import { createRegistrantTables } from './migrations/202612010900-create-registrant-tables';
import { addRegistryHolds } from './migrations/202612201000-add-registry-holds';
import { indexDomainNames } from './migrations/202612241000-index-domain-names';
import { addDomainExpiry } from './migrations/202612241100-add-domain-expiry';
import { registrantPersonalData } from './personal-data';
import { RegistrantService } from './registrant-service';
import { REVEAL_NOTICE } from './reveal/open-request';
import { deliverRevealNotice } from './reveal/reveal-notice';
import { deliverRegistryHold, REGISTRY_HOLD } from './reveal/registry-hold';
import { revealAdminRoutes } from './reveal/reveal-routes';
import { RegistrantSettings } from './settings';
import { registrantOutbox } from './transfer/deliverers';
import { registrantAdminPages, registrantAdminNav } from './admin-pages';

export default defineModule({
  name: 'registrant',
  version: '0.1.0',
  type: 'addon',
  description: 'Builds the registry contacts from the customer, applies domain privacy and consent to publish, sends them through the registrar module via the outbox, and runs the reveal workflow.',
  settings: RegistrantSettings,
  migrations: [createRegistrantTables, addRegistryHolds, indexDomainNames, addDomainExpiry],
  errors: REGISTRANT_ERRORS,
  hooks: { checkRegistrationContacts, checkTransferContacts, recordRegistration, recordRenewal, rectifyClientContacts, rectifyContactContacts, recordTransfer, recordContactsSaved },
  adminNav: registrantAdminNav,
  routes: {
    pages: (r, k) => registrantAdminPages(r, k),
    root: (r, k) => { contactsEndpoint(r, k); idProtectionEndpoint(r, k); eventsEndpoint(r, k); },
    admin: (r, k) => { revealAdminRoutes(r, k); domainAdminRoutes(r, k); },
    client: publishClientRoutes,
  },
  outbox: { ...registrantOutbox, [REVEAL_NOTICE]: deliverRevealNotice, [REGISTRY_HOLD]: deliverRegistryHold },
  service: (kernel) => new RegistrantService(kernel),
  requires: ['consent', 'mailer'],
  storesPersonalData: true,
  personalData: registrantPersonalData,
  encryptedColumns: [
    { table: 'registrant_domains', id: 'id', columns: ['params_enc'] },
    { table: 'registrant_contacts', id: 'id', columns: ['data_enc'] },
    { table: 'registrant_reveal_requests', id: 'id', columns: ['complainant_enc', 'evidence_enc'] },
  ],
});
