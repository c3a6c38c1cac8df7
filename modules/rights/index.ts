/**
 * rights: a person's requests from intake to a proven answer, on time — confirm, access and portability (export),
 * rectify, erase, restrict, object, withdraw consent — with identity verification, due dates in business days,
 * reseller routing, legal disclosures, partner exports, k-anonymous aggregates and records of processing.
 */
import { defineModule } from '../../core/modules/define-module';
import { requestAdminRoutes } from './http/request-routes';
import { createRightsTables } from './migrations/202612011200-create-rights-tables';
import { rightsPersonalData } from './personal-data';
import { RightsService } from './rights-service';
import { RightsSettings } from './settings';

export default defineModule({
  name: 'rights',
  version: '0.1.0',
  type: 'addon',
  description: 'Answers data subject requests (confirm, access, portability, rectify, erase, restrict, object, withdraw consent) on time, with identity verification, and propagates corrections and erasures to every module and processor.',
  settings: RightsSettings,
  migrations: [createRightsTables],
  requires: ['consent', 'registrant', 'mailer'],
  service: (kernel) => new RightsService(kernel),
  routes: {
    admin: (r, k) => {
      requestAdminRoutes(r, k);
    },
  },
  storesPersonalData: true,
  personalData: rightsPersonalData,
  encryptedColumns: [
    { table: 'rights_requests', id: 'id', columns: ['requester_enc', 'result_enc'] },
    { table: 'rights_statutory_records', id: 'id', columns: ['fields_enc'] },
    { table: 'rights_disclosure_requests', id: 'id', columns: ['requester_enc'] },
    { table: 'rights_erasures', id: 'id', columns: ['result_enc'] },
  ],
});
