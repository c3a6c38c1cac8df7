/**
 * Without SUITE_SMTP_URL a notice is not lost: the deliverer fails with "no mail transport: set SUITE_SMTP_URL" (warned
 * once per process, without personal data), the message retries and dead-letters, and once the suite runs with SMTP
 * configured, the admin's retry delivers it exactly once.
 */
import { Writable } from 'node:stream';
import { createLogger } from '../../../core/logger';
import { SmtpSink } from '../../helpers/smtp-sink';
import { createTestDb, type TestDb } from '../../helpers/test-db';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { clientAdd, consentBrand, consentService, subjectOf, type TestBrand } from '../consent/marketing-fixtures';

const sink = new SmtpSink();
const lines: string[] = [];
let db: TestDb;
let shop: TestBrand;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Drains until the message is dead or delivered. */
async function settle(t: TestSuite, id: number): Promise<{ state: string; attempts: number; last_error: string | null }> {
  for (let i = 0; i < 200; i++) {
    await t.suite.worker.drain();
    const row = (await t.suite.kernel.db('outbox').where({ id }).first()) as { state: string; attempts: number; last_error: string | null };
    if (row.state === 'dead' || row.state === 'delivered') return { ...row, attempts: Number(row.attempts) };
    await pause(10);
  }
  throw new Error('outbox message did not settle');
}

beforeAll(async () => {
  await sink.start();
  db = await createTestDb();
});
afterAll(async () => {
  await sink.stop();
  await db?.drop();
});

describe('mailer without a transport', () => {
  it('SP-6.1: with SMTP unset a withdrawal notice retries, dead-letters with a clear error, warns once; retried with SMTP set it is delivered exactly once', async () => {
    const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    const a = await startTestSuite({ db, http: true, logger: createLogger('debug', stream), config: { outboxBaseDelayMs: 5, outboxMaxAttempts: 3 } });
    let sid: number;
    let id: number;
    try {
      shop = await consentBrand(a.suite, 'no-smtp-shop', { model: 'opt-in' });
      await clientAdd(a.baseUrl, shop, 1, { email: 'erin@example.org', firstname: 'Erin' });
      sid = await subjectOf(a.suite, shop, 1);
      await consentService(a.suite).withdraw(shop.slug, sid, 'processing', { method: 'admin-written', collectionPoint: 'admin' }, { via: 'written' });
      const withdrawal = (await a.suite.kernel.db('outbox').where({ topic: 'consent.withdrawal-notice', subject_id: sid }).first('id')) as { id: number };
      id = Number(withdrawal.id);
      const row = await settle(a, id);
      expect(row).toMatchObject({ state: 'dead', attempts: 3, last_error: 'no mail transport: set SUITE_SMTP_URL' });
      const warnings = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.msg.startsWith('no mail transport configured'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0].level).toBe(40);
    } finally {
      await a.close();
    }

    // The admin sets SUITE_SMTP_URL, restarts, and retries the dead letter.
    const b = await startTestSuite({ db, http: true, migrate: false, logger: createLogger('debug', stream), config: { smtpUrl: sink.url, outboxBaseDelayMs: 5, outboxMaxAttempts: 3 } });
    try {
      const ownerKey = (await b.suite.apiKeys.create({ role: 'owner', label: 'test' }, { type: 'cli', id: 'test' })).key;
      const res = await fetch(`${b.baseUrl}/api/v1/admin/outbox/${id}/retry`, { method: 'POST', headers: { authorization: `Bearer ${ownerKey}` } });
      expect(res.status).toBe(200);
      expect(await settle(b, id)).toMatchObject({ state: 'delivered' });
      await b.suite.worker.drain();
      expect(sink.to('erin@example.org')).toHaveLength(1);
      expect(sink.received).toHaveLength(1);
    } finally {
      await b.close();
    }
    const out = lines.join('');
    for (const s of ['erin@example.org', 'Erin']) expect(out).not.toContain(s);
  });
});
