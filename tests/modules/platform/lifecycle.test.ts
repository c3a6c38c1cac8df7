/** The reference platform's lifecycle fires the hooks a WHMCS install would, with WHMCS's variables. */
import fs from 'node:fs';
import path from 'node:path';
import { startTestSuite, createBrand, count, type TestSuite } from '../../helpers/test-suite';
import { SuiteError } from '../../../core/errors';
import { answers, cart, person, platformOf, seen, withRecorder } from './fixtures';

let t: TestSuite;

beforeAll(async () => {
  t = await startTestSuite({ http: false, ...withRecorder() });
  await createBrand(t.suite, 'acme');
});
afterAll(() => t.close());
beforeEach(() => {
  seen.length = 0;
  for (const k of Object.keys(answers)) delete answers[k as keyof typeof answers];
});

describe('platform lifecycle', () => {
  it('signUp fires ClientAdd and the inventory records the client as a subject', async () => {
    const p = platformOf(t.suite);
    const { clientId, subjectId } = await p.signUp('acme', person(1), { ip: '203.0.113.7' });
    expect(seen.map((s) => s.hook)).toEqual(['ClientDetailsValidation', 'ClientAdd']);
    const brand = await t.suite.kernel.brands.get('acme');
    const subject = await t.suite.kernel.subjects.findByExternal(brand.id, 'client', clientId);
    expect(subject).toBeDefined();
    expect(subjectId).toBe(subject!.id);
    const fields = await t.suite.kernel.subjects.fields(subject!.id);
    expect(fields.find((f) => f.name === 'email')?.value).toBe('ada.1@example.org');
    expect(seen[1].vars).not.toHaveProperty('password');
  });

  it('a client\'s whole life fires the WHMCS hooks in order', async () => {
    const p = platformOf(t.suite);
    const { clientId } = await p.signUp('acme', person(2));
    await p.updateClient(clientId, { city: 'London' });
    await p.addContact(clientId, { firstname: 'Charles', lastname: 'Babbage', email: 'charles@example.org' });
    const o = await p.order(clientId, cart(2), { accepttos: true, paymentmethod: 'stripe' });
    await p.pay(o.invoiceId);
    await p.registerDomain(o.domainIds[0]);
    await p.cancel(o.serviceIds[0], 'too expensive');
    await p.close(clientId);
    expect(seen.map((s) => s.hook)).toEqual([
      'ClientDetailsValidation', 'ClientAdd', 'ClientEdit', 'ContactAdd', 'ShoppingCartValidateCheckout', 'AfterShoppingCartCheckout', 'InvoiceCreated',
      'InvoicePaid', 'PreRegistrarRegisterDomain', 'AfterRegistrarRegistration', 'CancellationRequest', 'ClientClose',
    ]);
    const after = seen.find((s) => s.hook === 'AfterShoppingCartCheckout')!.vars;
    expect(after).toMatchObject({ OrderID: o.orderId, InvoiceID: o.invoiceId, ServiceIDs: o.serviceIds, DomainIDs: o.domainIds, TotalDue: 19.5, userid: clientId });
    expect(seen.find((s) => s.hook === 'CancellationRequest')!.vars).toMatchObject({ userid: clientId, relid: o.serviceIds[0], type: 'Immediate' });
    const brand = await t.suite.kernel.brands.get('acme');
    expect((await t.suite.kernel.subjects.findByExternal(brand.id, 'client', clientId))!.status).toBe('closed');
    expect((await t.suite.kernel.db('platform_services').where({ id: o.serviceIds[0] }).first()).status).toBe('cancelled');
  });

  it('AfterRegistrarRegistration carries WHMCS registrar params', async () => {
    const p = platformOf(t.suite);
    const { clientId } = await p.signUp('acme', person(3));
    const o = await p.order(clientId, cart(3));
    const r = await p.registerDomain(o.domainIds[0]);
    expect(r).toMatchObject({ status: 'active', viaRegistrar: true });
    const params = seen.find((s) => s.hook === 'AfterRegistrarRegistration')!.vars.params as Record<string, unknown>;
    const documented = (JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../spec/whmcs/registrar-params.json'), 'utf8')) as { parameters: { name: string; description: string }[] }).parameters;
    const notForRegistration = /Transfers only|renewal function only|fetched at the time/;
    for (const d of documented.filter((x) => !notForRegistration.test(x.description))) expect(params).toHaveProperty(d.name);
    expect(params).toMatchObject({ userid: clientId, domainid: o.domainIds[0], sld: 'lovelace3', tld: 'test', regperiod: 2, idprotection: true, countrycode: 'GB', countryname: 'United Kingdom', phonecc: '44', fullphonenumber: '+44.2079460018' });
  });

  it('PreRegistrarRegisterDomain: abortWithError refuses and leaves the domain pending; abortWithSuccess marks it done without the registrar', async () => {
    const p = platformOf(t.suite);
    const { clientId } = await p.signUp('acme', person(4));
    const o = await p.order(clientId, cart(4));
    answers.PreRegistrarRegisterDomain = { abortWithError: 'registry says no' };
    await expect(p.registerDomain(o.domainIds[0])).rejects.toMatchObject({ code: 'SUITE_PLATFORM_VETOED', fields: [{ message: 'registry says no' }] });
    expect((await t.suite.kernel.db('platform_domains').where({ id: o.domainIds[0] }).first()).status).toBe('pending');
    answers.PreRegistrarRegisterDomain = { abortWithSuccess: true };
    seen.length = 0;
    expect(await p.registerDomain(o.domainIds[0])).toMatchObject({ status: 'active', viaRegistrar: false });
    expect(seen.map((s) => s.hook)).toEqual(['PreRegistrarRegisterDomain']);
    expect((await t.suite.kernel.db('platform_domains').where({ id: o.domainIds[0] }).first()).status).toBe('active');
  });

  it('invalid input is refused naming the field, and nothing is written', async () => {
    const p = platformOf(t.suite);
    const before = await count(t.suite, 'platform_clients');
    const err = await p.signUp('acme', person(5, { email: 'not-an-email', password: 'short' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SuiteError);
    expect((err as SuiteError).code).toBe('SUITE_VALIDATION_FAILED');
    expect((err as SuiteError).fields!.map((f) => f.field)).toEqual(expect.arrayContaining(['details.email', 'details.password']));
    expect(await count(t.suite, 'platform_clients')).toBe(before);
    expect(seen).toHaveLength(0);
    const { clientId } = await p.signUp('acme', person(6));
    await expect(p.order(clientId, [{ type: 'domain', name: 'not a domain', amount: 1 }])).rejects.toMatchObject({ code: 'SUITE_VALIDATION_FAILED', fields: [{ field: 'items.0.name' }] });
    expect(await count(t.suite, 'platform_orders')).toBe(await count(t.suite, 'platform_invoices'));
  });

  it('refuses what the state does not allow: a second account with the same email, an order from a closed account, paying twice', async () => {
    const p = platformOf(t.suite);
    const { clientId } = await p.signUp('acme', person(7));
    await expect(p.signUp('acme', person(7))).rejects.toMatchObject({ code: 'SUITE_PLATFORM_STATE' });
    const o = await p.order(clientId, cart(7));
    await p.pay(o.invoiceId);
    await expect(p.pay(o.invoiceId)).rejects.toMatchObject({ code: 'SUITE_PLATFORM_STATE' });
    await p.close(clientId);
    await expect(p.order(clientId, cart(7))).rejects.toMatchObject({ code: 'SUITE_PLATFORM_STATE' });
  });

  it('deleteClient runs PreDeleteClient inside the deleting transaction and removes the client\'s rows', async () => {
    const p = platformOf(t.suite);
    const { clientId } = await p.signUp('acme', person(8));
    await p.order(clientId, cart(8));
    seen.length = 0;
    await p.deleteClient(clientId);
    expect(seen.map((s) => s.hook)).toEqual(['PreDeleteClient']);
    for (const table of ['platform_clients', 'platform_services', 'platform_domains', 'platform_invoices', 'platform_orders']) {
      const col = table === 'platform_clients' ? 'id' : 'client_id';
      expect(await t.suite.kernel.db(table).where(col, clientId).first()).toBeUndefined();
    }
  });
});
