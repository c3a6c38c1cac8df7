/**
 * Issue 17 point 1 / WSM-16b: registrar data escrow deposits — decrypted with the agent's key and verified with the
 * registrar's, the hash file matching every part, rows matching the register (the real registrant behind a privacy
 * service), incremental deposits, SFTP delivery through the outbox with the server down and back, directory delivery
 * with the 2007 pair split into parts, the disclosure row, a bad setting, the job and the CLI.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { utils } from 'ssh2';
import type { SuiteError } from '../../../core/errors';
import { WEEKDAYS } from '../../../modules/escrow/settings';
import type { EscrowService } from '../../../modules/escrow/escrow-service';
import { useRegistrar } from '../../../modules/registrant/transfer/registrar-lookup';
import { runCli } from '../../helpers/run-cli';
import { startSftpServer, type TestSftpServer } from '../../helpers/sftp-server';
import { createBrand, drainOutbox, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { disclosures, FakeRegistrar, postContacts, whmcsParams } from '../registrant/fixtures';
import { escrowProfile, makeKeys, openDeposit, parseCsv, type EscrowKeys } from './escrow-fixtures';

const PASS_VAR = `ESCROW_TEST_PASS_${crypto.randomBytes(3).toString('hex').toUpperCase()}`;
const SFTP_VAR = `ESCROW_TEST_SFTP_${crypto.randomBytes(3).toString('hex').toUpperCase()}`;
const KEY_VAR = `ESCROW_TEST_KEY_${crypto.randomBytes(3).toString('hex').toUpperCase()}`;
/** A weekday that is not today (UTC), so deposits after the first are incremental. */
const NOT_TODAY = WEEKDAYS[(new Date().getUTCDay() + 3) % 7];

let t: TestSuite;
let keys: EscrowKeys;
let sftp: TestSftpServer;
let outDir: string;
const secrets: Record<string, string> = {};
const svc = (): EscrowService => t.suite.kernel.service<EscrowService>('escrow');

const baseSettings = (): Record<string, unknown> => ({
  enabled: true, ianaId: 9999, fullDay: NOT_TODAY, overlapSeconds: 0,
  agentPublicKeyFile: keys.agentPublicFile, signingKeyFile: keys.signingFile, signingKeyPassphraseVar: PASS_VAR,
});

async function register(brand: string, client: number, sld: string, extra: Record<string, unknown> = {}): Promise<void> {
  const r = await postContacts(t.baseUrl, secrets[brand], { brand, params: whmcsParams(client, sld, 'com', extra), status: 'registered' });
  expect(r.status).toBe(200);
}

/** Decrypts every delivered file of a deposit in `dir`; checks signatures and the hash file; answers the parts' CSV rows by role. */
async function readDeposit(dir: string, files: string[]): Promise<{ rde: Record<string, string>[]; hdl: Record<string, string>[]; parts: string[] }> {
  const plain = new Map<string, string>();
  for (const f of files) plain.set(f.replace(/\.gpg$/, ''), (await openDeposit(path.join(dir, f), keys)).text);
  const hashFile = [...plain.keys()].find((n) => n.endsWith('.sha256'))!;
  const listed = plain.get(hashFile)!.trim().split('\n').map((l) => l.split(/\s+/));
  const parts = [...plain.keys()].filter((n) => n !== hashFile);
  expect(listed.map(([, name]) => name).sort()).toEqual(parts.sort());
  for (const [hash, name] of listed) expect(crypto.createHash('sha256').update(plain.get(name)!, 'utf8').digest('hex')).toBe(hash);
  const rows = (role: string) => parts.filter((n) => n.includes(`_${role}_`)).sort().flatMap((n) => parseCsv(plain.get(n)!));
  return { rde: rows('RDE'), hdl: rows('HDL'), parts };
}


beforeAll(async () => {
  useRegistrar(() => new FakeRegistrar());
  keys = await makeKeys();
  process.env[PASS_VAR] = keys.passphrase;
  process.env[SFTP_VAR] = 'agent-secret-pw';
  const clientKey = utils.generateKeyPairSync('ed25519');
  process.env[KEY_VAR] = clientKey.private;
  sftp = await startSftpServer({ user: 'rde', password: 'agent-secret-pw', publicKey: clientKey.public });
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'escrow-out-'));
  t = await startTestSuite();
  secrets['esc-sftp'] = await createBrand(t.suite, 'esc-sftp', { profile: escrowProfile({
    ...baseSettings(), delivery: 'sftp',
    sftp: { host: sftp.host, port: sftp.port, user: 'rde', passwordVar: SFTP_VAR, remoteDir: '/', hostKeyFingerprint: sftp.fingerprint, timeoutSeconds: 5 },
  }) });
  secrets['esc-dir'] = await createBrand(t.suite, 'esc-dir', { profile: escrowProfile({ ...baseSettings(), ianaId: 8888, delivery: 'directory', directory: outDir, format: 'full-handle-2007', partBytes: 1024 }) });
  await register('esc-sftp', 7, 'plain-one');
  await register('esc-sftp', 8, 'hidden-one', { idprotection: true, firstname: 'Grace', lastname: 'Hopper', email: 'grace@example.org' });
  await register('esc-sftp', 9, 'plain-two');
  for (let i = 1; i <= 6; i++) await register('esc-dir', 20 + i, `dir-${i}`, i === 3 ? { idprotection: true } : {});
}, 30_000);

afterAll(async () => {
  useRegistrar();
  await t?.close();
  await sftp?.close();
  delete process.env[PASS_VAR];
  delete process.env[SFTP_VAR];
  delete process.env[KEY_VAR];
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.rmSync(keys.dir, { recursive: true, force: true });
});

describe('escrow deposits (WSM-16b)', () => {
  let firstId = 0;

  it('WSM-16b: a full csv-2024 deposit over SFTP decrypts with the agent key, verifies with the registrar key, hashes match, rows match (privacy: the real registrant)', async () => {
    // As AfterRegistrarRegistration records it (tests/modules/registrant/contacts.test.ts): the registration's expiry.
    const expiry = Date.UTC(2028, 2, 14, 9, 30, 0);
    await t.suite.kernel.db('registrant_domains').where({ domain: 'plain-two.com' }).update({ expires_at: expiry });
    const run = await svc().deposit({ brand: 'esc-sftp', full: true });
    expect(run.ok).toBe(true);
    const d = run.deposits[0];
    firstId = d.depositId;
    expect(d).toMatchObject({ kind: 'full', revision: 0, domains: 3, state: 'queued' });
    const date = new Date().toISOString().slice(0, 10);
    expect(d.files).toEqual([`9999_RDE_${date}_full_S1_R0.csv.gpg`, `9999_RDE_${date}_full_R0.sha256.gpg`]);
    await drainOutbox(t.suite);
    expect((await svc().get(d.depositId))!.state).toBe('delivered');
    expect(fs.readdirSync(sftp.root).sort()).toEqual([...d.files].sort()); // no .part left
    const { rde } = await readDeposit(sftp.root, d.files);
    expect(rde.map((r) => r.domain).sort()).toEqual(['hidden-one.com', 'plain-one.com', 'plain-two.com']);
    const hidden = rde.find((r) => r.domain === 'hidden-one.com')!;
    expect(hidden).toMatchObject({ registrant_name: 'Grace Hopper', registrant_email: 'grace@example.org', registrant_country: 'GB', registrar_iana_id: '9999', privacy_service: 'y', billing_contact_name: 'Ada Lovelace' }); // .com's billing contact is WHMCS's admin set
    expect(hidden.registrant_phone).toBe('+44.2079460018');
    expect(JSON.stringify(rde)).not.toContain('Domain Privacy Service');
    expect(rde.find((r) => r.domain === 'plain-one.com')).toMatchObject({ registrant_name: 'Ada Lovelace', registrant_email: 'ada7@example.org', privacy_service: 'n', registrant_street: '12 Analytical Row, Flat 3' });
    expect(rde.find((r) => r.domain === 'plain-two.com')!.expiration_date).toBe('2028-03-14T09:30:00Z');
    expect(rde.find((r) => r.domain === 'plain-one.com')!.expiration_date).toBe(''); // recorded before expiries were kept: never guessed
    expect(fs.existsSync(path.join(t.db.dataDir, 'escrow', 'esc-sftp', String(d.depositId)))).toBe(false); // staging removed once delivered
  });

  it('WSM-16b: the deposit is in the disclosure log: to the escrow agent, contact and registration, with the domain count', async () => {
    const brandId = (await t.suite.kernel.brands.get('esc-sftp')).id;
    const rows = (await disclosures(t.suite, brandId)).filter((r) => r.recipient === 'escrow');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ subject_id: null, purpose: 'legal', categories: ['contact', 'registration'], reference: `escrow-deposit:${firstId};full;domains=3` });
    expect(rows[0].fields).toEqual(expect.arrayContaining(['domain', 'registrant_name', 'registrant_email', 'billing_contact_name']));
  });

  it('WSM-16b: SFTP down: the incremental deposit waits in the outbox, then is delivered once, skipping a file already complete', async () => {
    await register('esc-sftp', 7, 'plain-one', { city: 'Cambridge' }); // changed
    await register('esc-sftp', 10, 'fresh-one'); // new
    await sftp.down();
    const d = (await svc().deposit({ brand: 'esc-sftp' })).deposits[0];
    expect(d).toMatchObject({ kind: 'inc', domains: 2, revision: 0 });
    await t.suite.worker.drain();
    const msg = (await t.suite.kernel.db('outbox').where({ id: d.outboxId }).first()) as { state: string; attempts: number; last_error: string };
    expect(msg).toMatchObject({ state: 'pending', attempts: 1 });
    expect(msg.last_error).toContain('ECONNREFUSED');
    expect(msg.last_error).not.toContain('agent-secret-pw');
    expect((await svc().get(d.depositId))!.state).toBe('queued');
    // The first part reached the server whole before the cut: the redelivery must not send it again.
    const staged = (await svc().get(d.depositId))!.stagingDir;
    fs.copyFileSync(path.join(staged, d.files[0]), path.join(sftp.root, d.files[0]));
    const before = sftp.completed.length;
    await sftp.up();
    await t.suite.kernel.db('outbox').where({ id: d.outboxId }).update({ next_attempt_at: 0 });
    await drainOutbox(t.suite);
    expect((await t.suite.kernel.db('outbox').where({ id: d.outboxId }).first('state')) as { state: string }).toEqual({ state: 'delivered' });
    expect(sftp.completed.slice(before)).toEqual(d.files.slice(1));
    const { rde } = await readDeposit(sftp.root, d.files);
    expect(rde.map((r) => r.domain).sort()).toEqual(['fresh-one.com', 'plain-one.com']);
    expect(rde.find((r) => r.domain === 'plain-one.com')!.registrant_city).toBe('Cambridge');
    await drainOutbox(t.suite);
    expect(sftp.completed.filter((n) => n === d.files[1])).toHaveLength(1); // delivered once
  });

  it('WSM-16b: an incremental deposit with nothing changed holds only the header; the day\'s next one is revision 1', async () => {
    const d = (await svc().deposit({ brand: 'esc-sftp' })).deposits[0];
    expect(d).toMatchObject({ kind: 'inc', domains: 0, revision: 1 });
    await drainOutbox(t.suite);
    const { rde } = await readDeposit(sftp.root, d.files);
    expect(rde).toEqual([]);
  });

  it('WSM-16b: directory delivery of the 2007 pair, split into parts by partBytes, with the underlying handles of a privacy domain', async () => {
    const d = (await svc().deposit({ brand: 'esc-dir', full: true })).deposits[0];
    expect(d).toMatchObject({ kind: 'full', format: 'full-handle-2007', domains: 6 });
    await drainOutbox(t.suite);
    const delivered = fs.readdirSync(outDir).sort();
    expect(delivered).toEqual([...d.files].sort());
    const { rde, hdl, parts } = await readDeposit(outDir, d.files);
    expect(parts.filter((n) => n.includes('_HDL_')).length).toBeGreaterThan(1);
    expect(parts.some((n) => /_HDL_\d{4}-\d{2}-\d{2}_full_S2_R0\.csv$/.test(n))).toBe(true);
    for (const p of parts) expect(p).toMatch(/^8888_(RDE|HDL)_\d{4}-\d{2}-\d{2}_full_S\d+_R0\.csv$/);
    expect(rde.map((r) => r.domain).sort()).toEqual(['dir-1.com', 'dir-2.com', 'dir-3.com', 'dir-4.com', 'dir-5.com', 'dir-6.com']);
    const hidden = rde.find((r) => r.domain === 'dir-3.com')!;
    expect(hidden.privacy_service).toBe('y');
    expect(hidden.registrant_handle).toMatch(/^PP/);
    expect(hidden.underlying_registrant_handle).toMatch(/^RC/);
    const byHandle = new Map(hdl.map((h) => [h.handle, h]));
    expect(byHandle.get(hidden.underlying_registrant_handle)).toMatchObject({ name: 'Ada Lovelace', email: 'ada23@example.org', city: 'London' });
    expect(byHandle.get(hidden.registrant_handle)).toMatchObject({ name: 'Domain Privacy Service', organization: 'Test Hosting Privacy Ltd' });
    const plain = rde.find((r) => r.domain === 'dir-1.com')!;
    expect(plain.underlying_registrant_handle).toBe('');
    expect(byHandle.get(plain.registrant_handle)).toMatchObject({ name: 'Ada Lovelace', email: 'ada21@example.org' });
  });

  it('WSM-16b: on the brand\'s fullDay the deposit is full without --full', async () => {
    const day = 24 * 3600_000;
    const onFullDay = Date.now() - (((new Date().getUTCDay() - WEEKDAYS.indexOf(NOT_TODAY)) + 7) % 7) * day;
    const d = (await svc().deposit({ brand: 'esc-dir', now: onFullDay })).deposits[0];
    expect(WEEKDAYS[new Date(onFullDay).getUTCDay()]).toBe(NOT_TODAY);
    expect(d).toMatchObject({ kind: 'full', domains: 6 });
    expect(d.files[0]).toContain(`_${new Date(onFullDay).toISOString().slice(0, 10)}_full_S1_R0`);
    await drainOutbox(t.suite);
  });

  it('WSM-16b: a bad setting names the field and writes nothing', async () => {
    await createBrand(t.suite, 'esc-bad', { profile: escrowProfile({ ...baseSettings(), delivery: 'directory', directory: outDir, agentPublicKeyFile: path.join(keys.dir, 'missing.asc') }) });
    const brandId = (await t.suite.kernel.brands.get('esc-bad')).id;
    const before = { outbox: await t.suite.kernel.db('outbox').where({ brand_id: brandId }).count({ n: '*' }).first() };
    const err = (await svc().deposit({ brand: 'esc-bad' }).catch((e: unknown) => e)) as SuiteError;
    expect(err.code).toBe('SUITE_VALIDATION_FAILED');
    expect(err.fields!.map((f) => f.field)).toEqual(['profile.modules.escrow.agentPublicKeyFile']);
    expect(await t.suite.kernel.db('escrow_deposits').where({ brand_id: brandId })).toEqual([]);
    expect(await t.suite.kernel.db('outbox').where({ brand_id: brandId }).count({ n: '*' }).first()).toEqual(before.outbox);
    expect((await disclosures(t.suite, brandId)).filter((r) => r.recipient === 'escrow')).toEqual([]);
    const noRecipient = escrowProfile({ ...baseSettings(), delivery: 'directory', directory: outDir, recipient: 'nobody' });
    await createBrand(t.suite, 'esc-bad2', { profile: noRecipient });
    const err2 = (await svc().deposit({ brand: 'esc-bad2' }).catch((e: unknown) => e)) as SuiteError;
    expect(err2.fields!.map((f) => f.field)).toEqual(['profile.modules.escrow.recipient']);
    const err3 = (await createBrand(t.suite, 'esc-bad3', { profile: escrowProfile({ ...baseSettings(), partBytes: 10 }) }).catch((e: unknown) => e)) as SuiteError;
    expect(err3.fields!.map((f) => f.field)).toContain('profile.modules.escrow.partBytes');
  });

  it('WSM-16b: the scheduled job runs under the lease: refused while another holder has it, then builds every enabled brand, requeues a dead delivery, fails an abandoned build', async () => {
    await sftp.down();
    const waiting = (await svc().deposit({ brand: 'esc-sftp' })).deposits[0];
    await t.suite.worker.drain();
    await t.suite.kernel.db('outbox').where({ id: waiting.outboxId }).update({ state: 'dead' }); // as after its last attempt
    await sftp.up();
    const brandId = (await t.suite.kernel.brands.get('esc-dir')).id;
    const [abandoned] = await t.suite.kernel.db('escrow_deposits').insert({ brand_id: brandId, iana_id: 8888, kind: 'inc', format: 'csv-2024', deposit_date: '2000-01-01', revision: 0, watermark: 0, files: '[]', state: 'building', staging_dir: path.join(t.db.dataDir, 'escrow'), created_at: 0 });
    await t.suite.kernel.db('job_leases').where({ name: 'escrow:deposit' }).delete();
    await t.suite.kernel.db('job_leases').insert({ name: 'escrow:deposit', holder: 'someone-else', expires_at: Date.now() + 60_000, acquired_at: Date.now() });
    expect(await t.suite.scheduler.runJob('escrow:deposit')).toMatchObject({ ran: false });
    await t.suite.kernel.db('job_leases').where({ name: 'escrow:deposit' }).delete();
    const run = await t.suite.scheduler.runJob('escrow:deposit');
    expect(run).toMatchObject({ ran: true, result: { deposits: 2, failed: 2, requeued: 1 } });
    expect((await svc().get(Number(abandoned)))!.state).toBe('failed');
    await drainOutbox(t.suite);
    expect((await svc().get(waiting.depositId))!.state).toBe('delivered');
  });

  it('WSM-16b: SFTP with key auth delivers; a host key other than the pinned one is refused and nothing is uploaded', async () => {
    const common = { ...baseSettings(), delivery: 'sftp' };
    const sftpBase = { host: sftp.host, port: sftp.port, user: 'rde', remoteDir: '/', timeoutSeconds: 5 };
    secrets['esc-key'] = await createBrand(t.suite, 'esc-key', { profile: escrowProfile({ ...common, sftp: { ...sftpBase, privateKeyVar: KEY_VAR, hostKeyFingerprint: sftp.fingerprint } }) });
    const other = `SHA256:${crypto.createHash('sha256').update('another host').digest('base64').replace(/=+$/, '')}`;
    secrets['esc-pin'] = await createBrand(t.suite, 'esc-pin', { profile: escrowProfile({ ...common, sftp: { ...sftpBase, passwordVar: SFTP_VAR, hostKeyFingerprint: other } }) });
    await register('esc-key', 40, 'keyed');
    await register('esc-pin', 41, 'pinned');
    const keyed = (await svc().deposit({ brand: 'esc-key' })).deposits[0];
    // Same IANA id as esc-sftp (two brands of one registrar): the day's next revision, so no file name is shared.
    expect(keyed).toMatchObject({ kind: 'full', revision: 1 });
    const pinned = (await svc().deposit({ brand: 'esc-pin' })).deposits[0];
    await t.suite.worker.drain();
    expect((await svc().get(keyed.depositId))!.state).toBe('delivered');
    expect((await readDeposit(sftp.root, keyed.files)).rde.map((r) => r.domain)).toEqual(['keyed.com']);
    expect((await svc().get(pinned.depositId))!.state).toBe('queued');
    expect(((await t.suite.kernel.db('outbox').where({ id: pinned.outboxId }).first('state')) as { state: string }).state).toBe('pending');
    for (const f of pinned.files) expect(fs.existsSync(path.join(sftp.root, f))).toBe(false);
  });

  it('WSM-16b: privacy-suite escrow deposit --full --brand --json prints clean JSON; without --json, plain progress lines on stderr', async () => {
    const json = await runCli(t.db, ['escrow', 'deposit', '--full', '--brand', 'esc-dir', '--json']);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout) as { ok: boolean; deposits: { brand: string; kind: string; domains: number }[] };
    expect(out).toMatchObject({ ok: true, deposits: [{ brand: 'esc-dir', kind: 'full', domains: 6 }] });
    expect(json.stderr).not.toContain('escrow esc-dir');
    const human = await runCli(t.db, ['escrow', 'deposit', '--brand', 'esc-dir']);
    expect(human.code).toBe(0);
    expect(human.stderr).toContain('escrow esc-dir (inc): 0/0 domains');
  }, 30_000);
});
