/** Personal fields are encrypted at rest, stay readable across key rotation, and the audit chain detects tampering. */
import fs from 'node:fs';
import path from 'node:path';
import { suiteWithBrand, type TestSuite } from '../helpers/test-suite';
import { rotateKeys } from '../../core/crypto/rotate';
import { Keyring } from '../../core/crypto/keyring';
import { auditChain } from '../../core/audit/audit-log';

let t: TestSuite;
let brandId: number;

beforeAll(async () => {
  ({ t, brandId } = await suiteWithBrand());
  for (let i = 1; i <= 30; i++) {
    await t.suite.hooks.run('ClientAdd', { client_id: i, firstname: `Zebulon${i}`, email: `zebulon${i}@example.org`, phonenumber: `+44.20790000${i}` }, { brand: 'acme', ip: '198.51.100.7' });
  }
});
afterAll(() => t.close());

describe('encryption at rest (SP-8 / TOS-1.2)', () => {
  it('SP-8: personal fields are not plaintext in the database', async () => {
    const rows = await t.suite.kernel.db('subject_fields').select('value_enc');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(String(r.value_enc)).toMatch(/^v1\.k[0-9a-z]+\./);
    if (t.db.dialect === 'sqlite') {
      await t.suite.kernel.db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
      const dir = t.db.dataDir;
      const bytes = fs.readdirSync(dir).filter((f) => f.startsWith('suite.sqlite')).map((f) => fs.readFileSync(path.join(dir, f)).toString('latin1')).join('');
      expect(bytes).not.toContain('Zebulon');
      expect(bytes).not.toContain('zebulon1@example.org');
      expect(bytes).not.toContain('198.51.100.7');
    } else {
      const [rows2] = (await t.suite.kernel.db.raw("SELECT COUNT(*) AS n FROM subject_fields WHERE value_enc LIKE '%Zebulon%'")) as unknown as [{ n: number }[]];
      expect(Number(rows2[0].n)).toBe(0);
    }
  });

  it('look-ups by email go through the keyed hash, not the plaintext', async () => {
    const found = await t.suite.kernel.subjects.findByEmail([brandId], ' Zebulon3@Example.org ');
    expect(found.map((s) => s.externalId)).toEqual(['3']);
    const row = await t.suite.kernel.db('subjects').where({ id: found[0].id }).first();
    expect(row.email_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('key rotation re-encrypts every value under the new key and keeps all of them readable', async () => {
    const before = await t.suite.kernel.subjects.fields((await t.suite.kernel.subjects.findByExternal(brandId, 'client', 12))!.id);
    const oldKid = Keyring.keyIdOf(String((await t.suite.kernel.db('subject_fields').first()).value_enc));
    const report = await rotateKeys(t.suite.kernel.db, t.suite.kernel.keyring, t.suite.encryptedColumns());
    expect(report.newKeyId).not.toBe(oldKid);
    expect(report.reencrypted).toBeGreaterThan(30);
    const stale = await t.suite.kernel.db('subject_fields').where('value_enc', 'like', `v1.${oldKid}.%`).count({ n: '*' }).first();
    expect(Number((stale as { n: number }).n)).toBe(0);
    const after = await t.suite.kernel.subjects.fields((await t.suite.kernel.subjects.findByExternal(brandId, 'client', 12))!.id);
    expect(after.map((f) => [f.name, f.value])).toEqual(before.map((f) => [f.name, f.value]));
    // Hook secrets were re-encrypted too and still verify.
    expect((await t.suite.kernel.brands.hookSecrets(await t.suite.kernel.brands.get('acme')))[0]).toMatch(/^whsec_/);
  });

  it('a value encrypted under a key that was rotated out can still be decrypted (no downtime)', async () => {
    const kr = t.suite.kernel.keyring;
    const old = await kr.encrypt('still readable');
    await kr.createKey();
    expect(await kr.decrypt(old)).toBe('still readable');
  });
});

describe('audit log', () => {
  it('is hash-chained, and tampering with any row is detected at that row', async () => {
    for (let i = 0; i < 5; i++) await t.suite.kernel.audit.record({ brandId, actor: { type: 'cli', id: 'test' }, action: 'test.action', targetId: i });
    const ok = await auditChain.verify(t.suite.kernel.db);
    expect(ok.ok).toBe(true);
    const victim = (await t.suite.kernel.db('audit_log').where({ action: 'test.action' }).orderBy('seq').offset(2).first()) as { id: number; seq: number };
    await t.suite.kernel.db('audit_log').where({ id: victim.id }).update({ target_id: 'forged' });
    const bad = await auditChain.verify(t.suite.kernel.db);
    expect(bad.ok).toBe(false);
    expect(bad.brokenAt?.seq).toBe(Number(victim.seq));
    expect(bad.brokenAt?.reason).toMatch(/changed/);
  });

  it('deleting the newest rows is detected against the chain head', async () => {
    await t.suite.kernel.db('audit_log').where({ action: 'test.action', target_id: 'forged' }).update({ target_id: '2' });
    expect((await auditChain.verify(t.suite.kernel.db)).ok).toBe(true);
    const last = (await t.suite.kernel.db('audit_log').orderBy('seq', 'desc').first()) as { id: number };
    await t.suite.kernel.db('audit_log').where({ id: last.id }).delete();
    const bad = await auditChain.verify(t.suite.kernel.db);
    expect(bad.ok).toBe(false);
    expect(bad.brokenAt?.reason).toMatch(/removed/);
  });
});
