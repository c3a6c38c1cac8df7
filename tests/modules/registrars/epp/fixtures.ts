/** Contacts for the EPP registrar tests (synthetic people). */
import { createEppRegistrar, type EppRegistrar } from '../../../../modules/registrars/epp';
import { startEppTestServer, type EppTestServer } from '../../../helpers/epp-test-server';
import type { DomainContacts, RegistryContact } from '../../../../modules/registrars/contract';

/** A registrant in `loc` (UTF-8) postal info with three street lines and characters that need escaping. */
export const registrant: RegistryContact = {
  id: 'reg-ada-1', name: 'Ada Lovelace-Müller', org: 'Analytical & "Engines" <Ltd>', street: ['1 Byron Walk', 'Floor 2', 'Suite <3>'],
  city: 'London', sp: 'Greater London', pc: 'N1 9GU', cc: 'gb', voice: '+44.2071234567', fax: '+44.2071234568', email: 'ada@example.org',
  postalType: 'loc', disclose: { name: false, addr: false, voice: false, fax: false, email: false },
};

/** A 7-bit contact used for the other roles. */
export const admin: RegistryContact = {
  id: 'adm-bob-1', name: 'Bob Admin', street: ['2 Main St'], city: 'Springfield', pc: '12345', cc: 'US', voice: '+1.5551234567', email: 'bob@example.org', postalType: 'int',
};

/** The brand's privacy-service contact. */
export const privacy: RegistryContact = {
  id: 'priv-dom-1', name: 'Privacy Service', org: 'Example Privacy Ltd', street: ['PO Box 1'], city: 'Dublin', cc: 'IE', voice: '+353.11234567',
  email: 'x7f3k@privacy.example', postalType: 'int',
};

/** Four roles: registrant, admin, and the same tech/billing contact. */
export const fourContacts: DomainContacts = { registrant, admin, tech: { ...admin, id: 'tech-cy-1', name: 'Cy Tech' }, billing: { ...admin, id: 'bill-di-1', name: 'Di Billing' } };

/** Per test: a fresh local EPP server and a registrar connected to it; afterwards both close and no invalid frame was sent. */
export function useEppSession(): { server: () => EppTestServer; registrar: () => EppRegistrar } {
  let server: EppTestServer;
  let registrar: EppRegistrar;
  beforeEach(async () => {
    server = await startEppTestServer();
    registrar = createEppRegistrar(server.clientOptions());
  });
  afterEach(async () => {
    await registrar.close();
    await server.stop();
    expect(server.invalidFrames).toEqual([]);
  });
  return { server: () => server, registrar: () => registrar };
}
