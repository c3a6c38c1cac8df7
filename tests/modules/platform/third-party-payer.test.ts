/** ESM-2: a third party who pays on a customer's behalf is a data subject too. */
import { startTestSuite, createBrand, type TestSuite } from '../../helpers/test-suite';
import type { Suite } from '../../../core/suite';
import { cart, person, platformOf } from './fixtures';

let t: TestSuite;

beforeAll(async () => {
  t = await startTestSuite({ http: false });
  await createBrand(t.suite, 'acme');
});
afterAll(() => t.close());

const PAYER = { firstname: 'Pat', lastname: 'Employer', companyname: 'Globex', email: 'accounts@globex.test', country: 'DE' };

/** Every module's export for a subject, as the rights module would gather it. */
async function exportAll(suite: Suite, subjectId: number): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const m of suite.registry.list()) if (m.personalData) out[m.name] = await m.personalData.export(subjectId, { kernel: suite.kernel });
  return out;
}

/** Every module's erasure for a subject, in one transaction. */
async function eraseAll(suite: Suite, subjectId: number): Promise<void> {
  const brand = await suite.kernel.brands.getById((await suite.kernel.subjects.get(subjectId)).brandId);
  await suite.kernel.db.transaction(async (trx) => {
    for (const m of suite.registry.list()) if (m.personalData) await m.personalData.erase(subjectId, { kernel: suite.kernel, trx, brand });
  });
}

describe('third-party payers', () => {
  it('ESM-2: a third-party payer is its own subject, exportable and erasable on its own', async () => {
    const p = platformOf(t.suite);
    const { clientId, subjectId: clientSubject } = await p.signUp('acme', person(1));
    const o = await p.order(clientId, cart(1));
    const paid = await p.pay(o.invoiceId, { payer: PAYER });
    expect(paid.payerSubjectId).toEqual(expect.any(Number));
    expect(paid.payerSubjectId).not.toBe(clientSubject);

    const subject = await t.suite.kernel.subjects.get(paid.payerSubjectId!);
    expect(subject).toMatchObject({ kind: 'payer', externalId: String(paid.payerId), parentId: null, status: 'active' });
    const invoice = await t.suite.kernel.db('platform_invoices').where({ id: o.invoiceId }).first();
    expect(Number(invoice.payer_id)).toBe(paid.payerId);
    expect(invoice.status).toBe('paid');

    const exported = JSON.stringify(await exportAll(t.suite, paid.payerSubjectId!));
    expect(exported).toContain('accounts@globex.test');
    expect(exported).toContain(`"id":${o.invoiceId}`);
    expect(exported).not.toContain('ada.1@example.org');
    expect(JSON.stringify(await exportAll(t.suite, clientSubject!))).not.toContain('accounts@globex.test');

    await eraseAll(t.suite, paid.payerSubjectId!);
    expect(JSON.stringify(await exportAll(t.suite, paid.payerSubjectId!))).not.toContain('globex.test');
    expect((await t.suite.kernel.subjects.get(paid.payerSubjectId!)).status).toBe('erased');
    const payerRow = await t.suite.kernel.db('platform_payers').where({ id: paid.payerId }).first();
    expect(payerRow.personal_enc).toBeNull();
    // The client and the invoice are untouched.
    expect((await p.client(clientId)).details?.email).toBe('ada.1@example.org');
    expect((await t.suite.kernel.subjects.get(clientSubject!)).status).toBe('active');
    expect((await t.suite.kernel.db('platform_invoices').where({ id: o.invoiceId }).first()).status).toBe('paid');
  });

  it('the same payer paying twice on a brand is one subject', async () => {
    const p = platformOf(t.suite);
    const { clientId } = await p.signUp('acme', person(2));
    const a = await p.order(clientId, cart(2));
    const b = await p.order(clientId, cart(3));
    const first = await p.pay(a.invoiceId, { payer: { ...PAYER, email: 'ap@initech.test' } });
    const second = await p.pay(b.invoiceId, { payer: { ...PAYER, email: 'AP@initech.test' } });
    expect(second.payerId).toBe(first.payerId);
    expect(second.payerSubjectId).toBe(first.payerSubjectId);
  });

  it('erasing a client keeps the invoices but drops the client\'s personal fields and contacts', async () => {
    const p = platformOf(t.suite);
    const { clientId, subjectId } = await p.signUp('acme', person(4));
    await p.addContact(clientId, { firstname: 'Charles', lastname: 'Babbage', email: 'charles.4@example.org' });
    const o = await p.order(clientId, cart(4));
    await eraseAll(t.suite, subjectId!);
    const row = await t.suite.kernel.db('platform_clients').where({ id: clientId }).first();
    expect(row).toMatchObject({ personal_enc: null, email_hash: null, password_hash: null });
    expect((await t.suite.kernel.db('platform_contacts').where({ client_id: clientId }).first()).personal_enc).toBeNull();
    expect(await t.suite.kernel.db('platform_invoices').where({ id: o.invoiceId }).first()).toBeDefined();
  });
});
