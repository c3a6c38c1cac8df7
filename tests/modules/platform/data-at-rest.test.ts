/** SP-8 / TOS-1.2: passwords hashed, personal fields encrypted at rest, key rotation covers the platform, nothing personal logged. */
import { Writable } from 'node:stream';
import { startTestSuite, createBrand, type TestSuite } from '../../helpers/test-suite';
import { createLogger } from '../../../core/logger';
import { rotateKeys } from '../../../core/crypto/rotate';
import { Keyring } from '../../../core/crypto/keyring';
import { cart, person, platformOf } from './fixtures';

let t: TestSuite;
let logged = '';

beforeAll(async () => {
  const sink = new Writable({ write(chunk, _enc, done) { logged += String(chunk); done(); } });
  t = await startTestSuite({ http: false, logger: createLogger('trace', sink) });
  await createBrand(t.suite, 'acme');
});
afterAll(() => t.close());

async function dump(tables: string[]): Promise<string> {
  const parts: string[] = [];
  for (const table of tables) parts.push(JSON.stringify(await t.suite.kernel.db(table).select()));
  return parts.join('\n');
}

const PLATFORM_TABLES = ['platform_clients', 'platform_contacts', 'platform_payers', 'platform_orders', 'platform_services', 'platform_domains', 'platform_invoices'];

describe('platform data at rest', () => {
  it('SP-8: the platform stores a scrypt hash, never the password', async () => {
    const p = platformOf(t.suite);
    const { clientId } = await p.signUp('acme', person(1, { password: 'Tr0ub4dor&3-plain' }));
    const row = await t.suite.kernel.db('platform_clients').where({ id: clientId }).first();
    expect(row.password_hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await dump([...PLATFORM_TABLES, 'subject_fields', 'audit_log', 'hook_failures'])).not.toContain('Tr0ub4dor');
    expect(await p.checkPassword(clientId, 'Tr0ub4dor&3-plain')).toBe(true);
    expect(await p.checkPassword(clientId, 'wrong')).toBe(false);
    // Two clients with the same password get different hashes (salted).
    const other = await p.signUp('acme', person(2, { password: 'Tr0ub4dor&3-plain' }));
    expect((await t.suite.kernel.db('platform_clients').where({ id: other.clientId }).first()).password_hash).not.toBe(row.password_hash);
  });

  it('personal fields are not plaintext in the DB; emails are found by blind index only', async () => {
    const p = platformOf(t.suite);
    const { clientId } = await p.signUp('acme', person(3, { companyname: 'Analytical Engines Ltd' }));
    await p.addContact(clientId, { firstname: 'Charles', lastname: 'Babbage', email: 'charles.3@example.org' });
    const o = await p.order(clientId, cart(3));
    await p.pay(o.invoiceId, { payer: { firstname: 'Pat', lastname: 'Payerson', email: 'pat@payer.test' } });
    const raw = await dump(PLATFORM_TABLES);
    for (const plain of ['ada.3@example.org', 'Lovelace3', 'Analytical', 'Marylebone', 'NW1 6XE', '7946 0018', 'Babbage', 'charles.3', 'Payerson', 'pat@payer.test']) expect(raw).not.toContain(plain);
    const row = await t.suite.kernel.db('platform_clients').where({ id: clientId }).first();
    expect(row.personal_enc).toMatch(/^v1\./);
    expect(row.email_hash).toBe(t.suite.kernel.keyring.blindIndex('ADA.3@example.org '));
    expect((await p.client(clientId)).details).toMatchObject({ email: 'ada.3@example.org', companyname: 'Analytical Engines Ltd' });
  });

  it('every platform encrypted column is registered, so a key rotation re-encrypts it', async () => {
    const platformColumns = t.suite.encryptedColumns().filter((c) => c.table.startsWith('platform_'));
    const registered = platformColumns.map((c) => c.table).sort();
    expect(registered).toEqual(['platform_activity_log', 'platform_clients', 'platform_contacts', 'platform_payers']);
    const { newKeyId } = await rotateKeys(t.suite.kernel.db, t.suite.kernel.keyring, t.suite.encryptedColumns());
    for (const { table, columns } of platformColumns) {
      for (const col of columns) {
        for (const r of await t.suite.kernel.db(table).whereNotNull(col).select(col)) expect(Keyring.keyIdOf(r[col])).toBe(newKeyId);
      }
    }
    const [first] = await t.suite.kernel.db('platform_clients').orderBy('id').limit(1);
    expect((await platformOf(t.suite).client(first.id)).details?.email).toBe('ada.1@example.org');
  });

  it('nothing personal reaches the log, even at trace level', () => {
    for (const plain of ['Tr0ub4dor', 'ada.1@example.org', 'Lovelace', 'charles.3', 'pat@payer.test']) expect(logged).not.toContain(plain);
  });
});
