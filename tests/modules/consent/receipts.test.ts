/** Signed consent receipts: a person downloads an Ed25519-signed JSON receipt of any of their records (MS-2 / SP-3). */
import crypto from 'node:crypto';
import { startTestSuite, createBrand, type TestSuite } from '../../helpers/test-suite';
import { recordConsent } from '../../../modules/consent/ledger/consent-ledger';
import { publishDocument } from '../../../modules/consent/documents/publish-document';
import { receiptLinkToken, receiptSigningInput, type SignedReceipt } from '../../../modules/consent/receipts/signed-receipt';
import { receiptKey } from '../../../modules/consent/receipts/receipt-key';
import { createSignedLink } from '../../../core/links/signed-link';
import { Keyring } from '../../../core/crypto/keyring';
import type { Brand } from '../../../core/brands/brand';
import type { ConsentReceipt } from '../../../modules/consent/ledger/consent-event';

let t: TestSuite;
let acme: Brand;
let subjectId: number;
let otherId: number;
let record: ConsentReceipt;

async function get(path: string) {
  const res = await fetch(`${t.baseUrl}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function verifies(receipt: SignedReceipt, jwk: crypto.JsonWebKey): boolean {
  const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  return crypto.verify(null, receiptSigningInput(receipt), key, Buffer.from(receipt.signature!.value, 'base64url'));
}

beforeAll(async () => {
  t = await startTestSuite();
  await createBrand(t.suite, 'acme');
  await createBrand(t.suite, 'globex');
  acme = await t.suite.kernel.brands.get('acme');
  const { document } = await publishDocument(t.suite.kernel, acme, { kind: 'privacy', language: 'en', version: '2026-01', text: 'Privacy policy.' }, { type: 'cli', id: 'test' });
  const profile = await t.suite.kernel.brands.profile(acme);
  [subjectId, otherId] = await t.suite.kernel.db.transaction(async (trx) => [
    (await t.suite.kernel.subjects.upsert(trx, { brandId: acme.id, kind: 'client', externalId: 7, fields: { email: 'ada@example.org' } })).id,
    (await t.suite.kernel.subjects.upsert(trx, { brandId: acme.id, kind: 'client', externalId: 8, fields: { email: 'bob@example.org' } })).id,
  ]);
  record = await t.suite.kernel.db.transaction((trx) => recordConsent(t.suite.kernel, trx, profile, {
    brandId: acme.id, subjectId, purpose: 'privacy', action: 'given', method: 'checkbox', channel: 'web', collectionPoint: 'registration',
    documentId: document.id, ip: '203.0.113.7', userAgent: 'Mozilla/5.0 test',
  }));
});
afterAll(() => t.close());

describe('signed consent receipts', () => {
  it('MS-2 / SP-3: a person downloads a signed receipt of their record, bound to the policy version and its hash, and the signature verifies with node:crypto', async () => {
    const res = await get(`/b/acme/consent/receipts/${record.receiptId}?token=${receiptLinkToken(t.suite.kernel, acme.id, subjectId)}`);
    expect(res.status).toBe(200);
    const receipt = res.body as unknown as SignedReceipt;
    expect(receipt).toMatchObject({
      receiptId: record.receiptId, piiPrincipalId: record.subjectKey, brand: 'acme', purpose: 'privacy', consentType: 'explicit', consentStatus: 'given',
      collectionMethod: 'checkbox', collectionChannel: 'web', collectionPoint: 'registration',
      piiControllers: [{ piiController: 'Test Hosting Ltd', contact: 'privacy@test-hosting.example' }],
      policy: { version: '2026-01', textHash: crypto.createHash('sha256').update('Privacy policy.').digest('hex'), hashAlgorithm: 'sha256' },
      ledger: { chain: 'consent_ledger', seq: record.seq, hash: record.hash },
      consentTimestamp: new Date(record.at).toISOString(),
    });
    // No IP or user agent in the receipt (they are personal data; the ledger keeps only keyed hashes in the chain).
    expect(JSON.stringify(receipt)).not.toMatch(/203\.0\.113\.7|Mozilla/);
    const jwk = (await get('/b/acme/consent/receipt-key')).body as crypto.JsonWebKey & { kid: string };
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(receipt.signature).toMatchObject({ alg: 'EdDSA', kid: jwk.kid });
    expect(verifies(receipt, jwk)).toBe(true);
  });

  it('the signature fails after any field of the receipt changes', async () => {
    const res = await get(`/b/acme/consent/receipts/${record.receiptId}?token=${receiptLinkToken(t.suite.kernel, acme.id, subjectId)}`);
    const receipt = res.body as unknown as SignedReceipt;
    const jwk = (await get('/b/acme/consent/receipt-key')).body as crypto.JsonWebKey;
    const paths: string[][] = [
      ...Object.keys(receipt).filter((k) => k !== 'signature').map((k) => [k]),
      ['policy', 'textHash'], ['policy', 'version'], ['ledger', 'seq'], ['piiControllers', '0', 'piiController'],
    ];
    for (const path of paths) {
      const copy = JSON.parse(JSON.stringify(receipt)) as Record<string, unknown>;
      let node = copy as Record<string, unknown>;
      for (const p of path.slice(0, -1)) node = node[p] as Record<string, unknown>;
      const last = path[path.length - 1];
      const v = node[last];
      node[last] = typeof v === 'number' ? v + 1 : typeof v === 'string' ? `${v}x` : v === null ? 'x' : { changed: true };
      expect([path.join('.'), verifies(copy as unknown as SignedReceipt, jwk)]).toEqual([path.join('.'), false]);
    }
    const extra = { ...receipt, addedField: 1 } as SignedReceipt;
    expect(verifies(extra, jwk)).toBe(false);
  });

  it('another person\'s link, another brand, a wrong-purpose or forged link get no receipt', async () => {
    const path = `/b/acme/consent/receipts/${record.receiptId}?token=`;
    expect((await get(path + receiptLinkToken(t.suite.kernel, acme.id, otherId))).status).toBe(404);
    const globex = await t.suite.kernel.brands.get('globex');
    expect((await get(`/b/globex/consent/receipts/${record.receiptId}?token=${receiptLinkToken(t.suite.kernel, globex.id, subjectId)}`)).status).toBe(404);
    const wrongPurpose = createSignedLink(t.suite.kernel, { brandId: acme.id, subjectId, purpose: 'unsubscribe', expiresAt: Date.now() + 60_000 });
    const r1 = await get(path + wrongPurpose);
    expect(r1.status).toBe(401);
    expect(r1.body.code).toBe('SUITE_LINK_INVALID');
    expect((await get(path.replace('?token=', ''))).status).toBe(401);
    expect((await get(`/b/acme/consent/receipts/rcpt_nope?token=${receiptLinkToken(t.suite.kernel, acme.id, subjectId)}`)).status).toBe(404);
  });

  it('the receipt key is derived from the master key: the same on every instance, different under another master key', () => {
    const same = new Keyring(t.suite.kernel.db, Buffer.from('a'.repeat(64), 'hex'));
    const other = new Keyring(t.suite.kernel.db, Buffer.from('b'.repeat(64), 'hex'));
    expect(receiptKey(same).jwk).toEqual(receiptKey(t.suite.kernel.keyring).jwk);
    expect(receiptKey(other).jwk.x).not.toBe(receiptKey(same).jwk.x);
    expect(() => same.signingSeed('key-wrap')).toThrow(/-ed25519/);
  });
});
