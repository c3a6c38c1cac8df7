/**
 * The outbox: exactly-once delivery across workers, backoff and dead-letter, the admin retry, reclaiming a dead
 * worker's claim, and the transfer checks of enqueue (disclosure log, recipient register, no sale).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { defineModule } from '../../core/modules/define-module';
import { disclosureChain } from '../../core/registers/disclosure-log';
import type { OutboxMessage } from '../../core/outbox/outbox';
import type { Suite } from '../../core/suite';
import { createTestDb, onMysql, type TestDb } from '../helpers/test-db';
import { count, createBrand, startTestSuite, type TestSuite } from '../helpers/test-suite';

/** A local HTTP receiver that counts deliveries per Idempotency-Key and answers `status`. */
class Receiver {
  readonly seen = new Map<string, number>();
  status = 200;
  private server = http.createServer((req, res) => {
    const key = String(req.headers['idempotency-key'] ?? '');
    req.resume();
    req.on('end', () => {
      this.seen.set(key, (this.seen.get(key) ?? 0) + 1);
      res.writeHead(this.status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: this.status < 300 }));
    });
  });
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/deliver`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  total(): number {
    return [...this.seen.values()].reduce((a, b) => a + b, 0);
  }
}

const receiver = new Receiver();
const TOPIC = 'test.notify';

/** A test-only module whose outbox deliverer POSTs each message to the receiver with its idempotency key. */
const notifier = defineModule({
  name: 'test-notifier',
  version: '1.0.0',
  type: 'addon',
  description: 'Test-only: delivers outbox messages to a local HTTP receiver.',
  storesPersonalData: false,
  outbox: {
    [TOPIC]: async (msg) => {
      const res = await fetch(receiver.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': msg.idempotencyKey },
        body: JSON.stringify(msg.payload),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`receiver answered ${res.status}`);
    },
  },
});

const suiteOptions = { modules: [notifier], bindings: [], http: true, config: { outboxBaseDelayMs: 5, outboxMaxAttempts: 3 } };

let db: TestDb;
let a: TestSuite;
let b: TestSuite;

beforeAll(async () => {
  await receiver.start();
  db = await createTestDb();
  a = await startTestSuite({ ...suiteOptions, db });
  b = await startTestSuite({ ...suiteOptions, db, migrate: false });
  await createBrand(a.suite, 'acme');
  await createBrand(a.suite, 'acme-resell', { parent: 'acme', profile: { controller: { name: 'Resell Ltd', email: 'privacy@resell.example', country: 'DE' } } });
  await createBrand(a.suite, 'other');
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  await db?.drop();
  await receiver.stop();
});

/** Enqueues messages for a brand in one transaction (recipient email, purpose service, no subject). */
async function enqueue(suite: Suite, slug: string, n: number, extra: Partial<OutboxMessage> = {}): Promise<{ id: number; idempotencyKey: string }[]> {
  const k = suite.kernel;
  const brand = await k.brands.get(slug);
  const profile = await k.brands.profile(brand);
  return k.db.transaction(async (trx) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      out.push(await k.outbox.enqueue(trx, profile, { brandId: brand.id, topic: TOPIC, payload: { n: i }, recipient: 'email', purpose: 'service', subjectId: null, ...extra }));
    }
    return out;
  });
}

interface Row { id: number; state: string; attempts: number; next_attempt_at: number; claimed_by: string | null; claimed_until: number | null; last_error: string | null }
async function row(suite: Suite, id: number): Promise<Row> {
  const r = (await suite.kernel.db('outbox').where({ id }).first()) as Row;
  return { ...r, attempts: Number(r.attempts), next_attempt_at: Number(r.next_attempt_at), claimed_until: r.claimed_until === null ? null : Number(r.claimed_until) };
}

const sleepUntil = async (ts: number) => { while (Date.now() <= ts) await new Promise((r) => setTimeout(r, 2)); };

async function admin(suite: TestSuite, key: string, method: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${suite.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('outbox delivery', () => {
  it('two outbox workers on one database deliver 1,000 messages exactly once between them', async () => {
    receiver.seen.clear();
    receiver.status = 200;
    const ids = (await enqueue(a.suite, 'acme', 1000)).map((m) => m.id);
    expect(new Set(ids).size).toBe(1000);

    const [ra, rb] = await Promise.all([a.suite.worker.drain(), b.suite.worker.drain()]);

    expect(receiver.seen.size).toBe(1000);
    expect([...receiver.seen.values()].filter((n) => n !== 1)).toEqual([]);
    expect(ra.delivered + rb.delivered).toBe(1000);
    expect(ra.retried + rb.retried + ra.dead + rb.dead).toBe(0);
    const states = (await a.suite.kernel.db('outbox').whereIn('id', ids).select('state', 'claimed_by')) as { state: string; claimed_by: string }[];
    expect(states.every((s) => s.state === 'delivered')).toBe(true);
    const byWorker = new Map<string, number>();
    for (const s of states) byWorker.set(s.claimed_by, (byWorker.get(s.claimed_by) ?? 0) + 1);
    expect(byWorker.get(a.suite.worker.id) ?? 0).toBe(ra.delivered);
    expect(byWorker.get(b.suite.worker.id) ?? 0).toBe(rb.delivered);
    if (onMysql()) {
      // FOR UPDATE SKIP LOCKED: both instances take disjoint batches at the same time.
      expect(ra.delivered).toBeGreaterThan(0);
      expect(rb.delivered).toBeGreaterThan(0);
    }
  });

  it('a failing receiver is retried with exponential backoff, then the message is dead-lettered', async () => {
    receiver.seen.clear();
    receiver.status = 500;
    const [{ id, idempotencyKey }] = await enqueue(a.suite, 'acme', 1);
    const worker = a.suite.worker;
    const seen: Row[] = [];
    let due = 0;
    for (let attempt = 1; attempt <= 3; attempt++) {
      await sleepUntil(due);
      expect((await worker.runOnce()).claimed).toBe(1);
      const r = await row(a.suite, id);
      expect(r.attempts).toBe(attempt);
      expect(r.state).toBe(attempt < 3 ? 'pending' : 'dead');
      seen.push(r);
      due = r.next_attempt_at;
    }
    const final = await row(a.suite, id);
    expect(final.state).toBe('dead');
    expect(final.attempts).toBe(3);
    expect(final.last_error).toContain('500');
    expect(seen[1].next_attempt_at).toBeGreaterThan(seen[0].next_attempt_at);
    // Every attempt carried the same idempotency key, so the processor can drop duplicates.
    expect([...receiver.seen.keys()]).toEqual([idempotencyKey]);
    expect(receiver.seen.get(idempotencyKey)).toBe(3);
  });

  it('the backoff doubles with each attempt (base × 2^(attempt−1), ±20 % jitter)', async () => {
    expect(a.suite.kernel.outbox.baseDelayMs).toBe(5); // the suite's own config (SUITE_OUTBOX_BASE_DELAY_MS)
    // A second Outbox on the same database with a 1 s base, so the delays are large enough to measure.
    const { Outbox } = await import('../../core/outbox/outbox');
    const outbox = new Outbox(a.suite.kernel.db, a.suite.kernel.keyring, 5, 1000);
    const [{ id }] = await enqueue(a.suite, 'acme', 1);
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      await a.suite.kernel.db('outbox').where({ id }).update({ next_attempt_at: 0 });
      const claimed = (await outbox.claim('w_backoff', 1000, 60_000)).filter((m) => m.id === id);
      expect(claimed).toHaveLength(1);
      expect(claimed[0].attempt).toBe(attempt);
      const before = Date.now();
      expect(await outbox.failed(id, 'w_backoff', attempt, 'down')).toBe('pending');
      delays.push((await row(a.suite, id)).next_attempt_at - before);
    }
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(1000 * 2 ** i * 0.8 - 5);
      expect(d).toBeLessThanOrEqual(1000 * 2 ** i * 1.2 + 5);
    });
    await a.suite.kernel.db('outbox').where({ id }).update({ state: 'delivered' });
  });

  it('the admin API lists dead messages and retries one; a reseller key sees and retries only its own brands', async () => {
    receiver.seen.clear();
    receiver.status = 500;
    const [{ id, idempotencyKey }] = await enqueue(a.suite, 'acme', 1);
    const [{ id: resellId }] = await enqueue(a.suite, 'acme-resell', 1);
    for (let i = 0; i < 10 && ((await row(a.suite, id)).state !== 'dead' || (await row(a.suite, resellId)).state !== 'dead'); i++) {
      await a.suite.worker.drain();
      await new Promise((r) => setTimeout(r, 30));
    }
    expect((await row(a.suite, id)).state).toBe('dead');
    expect((await row(a.suite, resellId)).state).toBe('dead');

    const actor = { type: 'cli' as const, id: 'test' };
    const { key: owner } = await a.suite.apiKeys.create({ role: 'owner' }, actor);
    const { key: reseller } = await a.suite.apiKeys.create({ role: 'reseller', brand: 'acme-resell' }, actor);

    const listed = await admin(a, owner, 'GET', '/api/v1/admin/outbox?state=dead');
    expect(listed.status).toBe(200);
    const ownerIds = (listed.body.messages as { id: number; state: string }[]).map((m) => Number(m.id));
    expect(ownerIds).toEqual(expect.arrayContaining([id, resellId]));
    expect((listed.body.messages as { state: string }[]).every((m) => m.state === 'dead')).toBe(true);
    expect(JSON.stringify(listed.body)).not.toContain('payload');

    const scoped = await admin(a, reseller, 'GET', '/api/v1/admin/outbox?state=dead');
    expect(scoped.status).toBe(200);
    const scopedIds = (scoped.body.messages as { id: number }[]).map((m) => Number(m.id));
    expect(scopedIds).toContain(resellId);
    expect(scopedIds).not.toContain(id);
    const refused = await admin(a, reseller, 'POST', `/api/v1/admin/outbox/${id}/retry`);
    expect(refused.status).toBe(404);
    expect(refused.body.code).toBe('SUITE_OUTBOX_MESSAGE_UNKNOWN');
    expect((await row(a.suite, id)).state).toBe('dead');

    receiver.status = 200;
    const retried = await admin(a, owner, 'POST', `/api/v1/admin/outbox/${id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ ok: true, state: 'pending' });
    const back = await row(a.suite, id);
    expect(back.state).toBe('pending');
    expect(back.attempts).toBe(0);
    expect((await admin(a, owner, 'POST', `/api/v1/admin/outbox/${id}/retry`)).status).toBe(404); // not dead any more

    const before = receiver.seen.get(idempotencyKey) ?? 0;
    await a.suite.worker.drain();
    expect((await row(a.suite, id)).state).toBe('delivered');
    expect(receiver.seen.get(idempotencyKey)).toBe(before + 1);
    expect((await row(a.suite, resellId)).state).toBe('dead');
    const audit = await a.suite.kernel.db('audit_log').where({ action: 'outbox.retry' }).select('target_id', 'brand_id');
    expect(audit.map((r: { target_id: string }) => String(r.target_id))).toEqual([String(id)]);
    expect(Number(audit[0].brand_id)).toBe((await a.suite.kernel.brands.get('acme')).id);
  });

  it('a worker that dies holding a claim: once the claim expires another worker reclaims and delivers it', async () => {
    receiver.seen.clear();
    receiver.status = 200;
    const [{ id, idempotencyKey }] = await enqueue(a.suite, 'acme', 1);
    const dead = await a.suite.kernel.outbox.claim('w_dead', 10, 150);
    expect(dead.map((m) => m.id)).toEqual([id]);
    const held = await row(a.suite, id);
    expect(held).toMatchObject({ state: 'delivering', claimed_by: 'w_dead', attempts: 1 });

    // While the claim is live nobody else takes it.
    expect((await b.suite.worker.runOnce()).claimed).toBe(0);
    await sleepUntil(held.claimed_until!);

    const r = await b.suite.worker.runOnce();
    expect(r).toMatchObject({ claimed: 1, delivered: 1 });
    const after = await row(a.suite, id);
    expect(after).toMatchObject({ state: 'delivered', claimed_by: b.suite.worker.id, attempts: 2 });
    expect(receiver.seen.get(idempotencyKey)).toBe(1);

    // The dead worker waking up late cannot overwrite the outcome.
    await a.suite.kernel.outbox.delivered(id, 'w_dead');
    await a.suite.kernel.outbox.failed(id, 'w_dead', 1, 'late');
    expect(await row(a.suite, id)).toMatchObject({ state: 'delivered', claimed_by: b.suite.worker.id, last_error: null });
  });
});

describe('enqueue: transfers to recipients', () => {
  async function subject(suite: Suite, slug: string, externalId: number): Promise<number> {
    const brand = await suite.kernel.brands.get(slug);
    return (await suite.kernel.subjects.upsert(suite.kernel.db, { brandId: brand.id, kind: 'client', externalId, fields: { email: `s${externalId}@example.org`, firstname: 'Sam' } })).id;
  }

  it('MS-5.1: every transfer to a recipient is written to the disclosure log', async () => {
    const subjectId = await subject(a.suite, 'acme', 501);
    const before = await count(a.suite, 'disclosure_log');
    const [{ id, idempotencyKey }] = await enqueue(a.suite, 'acme', 1, { subjectId, payload: { email: 's501@example.org', firstname: 'Sam' }, categories: ['contact'] });
    expect(await count(a.suite, 'disclosure_log')).toBe(before + 1);
    const d = (await a.suite.kernel.db('disclosure_log').where({ reference: idempotencyKey }).first()) as Record<string, unknown>;
    expect(d).toMatchObject({ recipient: 'email', purpose: 'service' });
    expect(Number(d.subject_id)).toBe(subjectId);
    expect(Number(d.brand_id)).toBe((await a.suite.kernel.brands.get('acme')).id);
    expect(JSON.parse(String(d.fields))).toEqual(['email', 'firstname']);
    expect(JSON.parse(String(d.categories))).toEqual(['contact']);
    expect(JSON.stringify(d)).not.toContain('s501@example.org'); // names of fields, never values
    expect((await disclosureChain.verify(a.suite.kernel.db)).ok).toBe(true);
    // The payload is encrypted at rest.
    const stored = (await a.suite.kernel.db('outbox').where({ id }).first()) as { payload_enc: string };
    expect(stored.payload_enc).not.toContain('s501@example.org');
    await a.suite.kernel.db('outbox').where({ id }).update({ state: 'delivered' });
  });

  it.each([
    ['an unregistered recipient', { recipient: 'data-broker' }, 'SUITE_RECIPIENT_UNKNOWN'],
    ['a purpose the recipient is not registered for', { recipient: 'email', purpose: 'domain-registration' }, 'SUITE_PURPOSE_NOT_ALLOWED'],
    ['an unknown purpose', { purpose: 'profiling' }, 'SUITE_PURPOSE_UNKNOWN'],
  ])('MS-5.1: a transfer to %s is refused and nothing is written', async (_label, extra, code) => {
    const subjectId = await subject(a.suite, 'acme', 502);
    for (const sid of [subjectId, null]) {
      const [outbox, log] = [await count(a.suite, 'outbox'), await count(a.suite, 'disclosure_log')];
      await expect(enqueue(a.suite, 'acme', 1, { subjectId: sid, ...extra })).rejects.toMatchObject({ code });
      expect(await count(a.suite, 'outbox')).toBe(outbox);
      expect(await count(a.suite, 'disclosure_log')).toBe(log);
    }
  });

  it('WSM-11: personal data is never sold: a transfer for purpose "sale" is refused and nothing is written', async () => {
    const subjectId = await subject(a.suite, 'acme', 503);
    for (const recipient of ['email', 'stripe', 'data-broker']) {
      for (const sid of [subjectId, null]) {
        const [outbox, log] = [await count(a.suite, 'outbox'), await count(a.suite, 'disclosure_log')];
        await expect(enqueue(a.suite, 'acme', 1, { subjectId: sid, recipient, purpose: 'sale' })).rejects.toMatchObject({ code: 'SUITE_SALE_FORBIDDEN', status: 422 });
        expect(await count(a.suite, 'outbox')).toBe(outbox);
        expect(await count(a.suite, 'disclosure_log')).toBe(log);
      }
    }
  });
});
