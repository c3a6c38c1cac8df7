/** EPP contacts (RFC 5733): create with disclose flags, ID protection toggle, rectification, contact details. */
import type { EppRegistrar } from '../../../../modules/registrars/epp';
import type { EppTestServer } from '../../../helpers/epp-test-server';
import { admin, fourContacts, privacy, registrant, useEppSession } from './fixtures';

const session = useEppSession();
let server: EppTestServer;
let registrar: EppRegistrar;
beforeEach(() => {
  server = session.server();
  registrar = session.registrar();
});

test('WSM-17 contact create carries <contact:disclose flag="0"> over the hidden fields, loc postal info in UTF-8, escaped values', async () => {
  const res = await registrar.registerDomain({ domain: 'ada.test', contacts: { registrant } });
  expect(res.ok).toBe(true);
  const stored = server.registry.contacts.get('reg-ada-1')!;
  expect(stored.disclose).toEqual({ flag: '0', fields: ['name', 'addr', 'voice', 'fax', 'email'] });
  expect(stored).toMatchObject({ postalType: 'loc', name: 'Ada Lovelace-Müller', org: 'Analytical & "Engines" <Ltd>', street: ['1 Byron Walk', 'Floor 2', 'Suite <3>'], cc: 'GB', email: 'ada@example.org' });
  expect(server.verbs()).toEqual(['contact:create', 'domain:create']);
});

test('a contact whose flags only publish: <contact:disclose flag="1">; no flags: no disclose element (registry policy applies)', async () => {
  await registrar.registerDomain({ domain: 'pub.test', contacts: { registrant: { ...admin, disclose: { name: true, email: true } }, tech: { ...admin, id: 'tech-2' } } });
  expect(server.registry.contacts.get('adm-bob-1')!.disclose).toEqual({ flag: '1', fields: ['name', 'email'] });
  expect(server.registry.contacts.get('tech-2')!.disclose).toBeUndefined();
});

test('WSM-17 idProtectToggle on: the privacy contact is created with everything hidden and the domain points at it; off: the customer\'s own again', async () => {
  await registrar.registerDomain({ domain: 'hide.test', contacts: { registrant: { ...registrant, disclose: undefined }, admin } });
  const on = await registrar.idProtectToggle({ domain: 'hide.test', enabled: true, contacts: { registrant: privacy, admin: privacy } });
  expect(on).toEqual({ ok: true, data: {} });
  expect(server.registry.contacts.get('priv-dom-1')!.disclose).toEqual({ flag: '0', fields: ['name', 'org', 'addr', 'voice', 'fax', 'email'] });
  expect(server.registry.domains.get('hide.test')).toMatchObject({ registrant: 'priv-dom-1', contacts: { admin: 'priv-dom-1' } });
  const off = await registrar.idProtectToggle({ domain: 'hide.test', enabled: false, contacts: { registrant: { ...registrant, disclose: { name: true, addr: true } }, admin } });
  expect(off.ok).toBe(true);
  expect(server.registry.domains.get('hide.test')).toMatchObject({ registrant: 'reg-ada-1', contacts: { admin: 'adm-bob-1' } });
  expect(server.registry.contacts.get('reg-ada-1')!.disclose).toEqual({ flag: '1', fields: ['name', 'addr'] });
});

test('MS-8e rectification at the registrar: saveContactDetails updates the contact in place (contact:update), the domain is unchanged', async () => {
  await registrar.registerDomain({ domain: 'fix.test', contacts: fourContacts });
  const before = server.verbs().length;
  const res = await registrar.saveContactDetails({ domain: 'fix.test', contacts: { registrant: { ...registrant, street: ['9 New Road'], city: 'Bath', pc: 'BA1 1AA', email: 'ada.new@example.org' } }, requestId: 'rectify-1' });
  expect(res.ok).toBe(true);
  expect(server.verbs().slice(before)).toEqual(['contact:update', 'domain:info']);
  expect(server.registry.contacts.get('reg-ada-1')).toMatchObject({ street: ['9 New Road'], city: 'Bath', email: 'ada.new@example.org' });
  expect(server.received.filter((r) => r.clTRID?.startsWith('rectify-1-')).length).toBe(2);
});

test('getContactDetails reads each role with contact:info (one read per distinct handle)', async () => {
  await registrar.registerDomain({ domain: 'read.test', contacts: { registrant, admin, tech: admin } });
  const res = await registrar.getContactDetails('read.test');
  expect(res.ok).toBe(true);
  if (!res.ok) return;
  expect(res.data.contacts.registrant).toMatchObject({ id: 'reg-ada-1', name: 'Ada Lovelace-Müller', street: ['1 Byron Walk', 'Floor 2', 'Suite <3>'], cc: 'GB', postalType: 'loc', disclose: { name: false, addr: false, email: false } });
  expect(res.data.contacts.tech).toMatchObject({ id: 'adm-bob-1', name: 'Bob Admin' });
  expect(server.verbs().filter((v) => v === 'contact:info')).toHaveLength(2);
});

test('a retried registration: a contact that already exists is updated instead of failing with 2302', async () => {
  await registrar.registerDomain({ domain: 'one.test', contacts: { registrant } });
  const res = await registrar.registerDomain({ domain: 'two.test', contacts: { registrant }, requestId: 'again-1' });
  expect(res.ok).toBe(true);
  expect(server.verbs().slice(2)).toEqual(['contact:create', 'contact:update', 'domain:create']);
});
