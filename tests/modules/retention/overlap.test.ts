/**
 * SP-8: on MySQL/MariaDB the sweep keeps two whole-subject batches in flight (SUITE_RETENTION_OVERLAP, default on).
 * They must end exactly as batches one after another do: every subject erased once (a contact whose client is in the
 * batch before is not erased twice), the same report, a failed batch retried on its own, a subject that keeps failing
 * reported, and the checkpoint never past a batch that did not commit. On SQLite the sweep is serial, and the same
 * assertions hold.
 */
import type { PersonalDataProvider } from '../../../core/modules/define-module';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { approveAll, DAY, NOW, retention, retentionBrand, seedClients } from './fixtures';

jest.setTimeout(180_000);

let t: TestSuite;

beforeAll(async () => {
  t = await startTestSuite({ http: false });
});
afterAll(async () => t?.close());

const count = async (table: string, where: Record<string, unknown>): Promise<number> => Number(((await t.suite.kernel.db(table).where(where).count({ n: '*' }).first()) as { n: number | string }).n);

/** What a sweep left for a brand, in figures that do not depend on ids. */
async function outcome(brandId: number) {
  const db = t.suite.kernel.db;
  const statuses = Object.fromEntries(((await db('subjects').where({ brand_id: brandId }).groupBy('kind', 'status').select('kind', 'status').count({ n: '*' })) as { kind: string; status: string; n: number }[]).map((r) => [`${r.kind}:${r.status}`, Number(r.n)]));
  const fieldsLeft = Number(((await db('subject_fields').whereIn('subject_id', db('subjects').where({ brand_id: brandId }).select('id')).count({ n: '*' }).first()) as { n: number }).n);
  const twice = ((await db('rights_erasures').where({ brand_id: brandId }).groupBy('subject_id').having(db.raw('count(*) > 1')).select('subject_id')) as unknown[]).length;
  return {
    statuses, fieldsLeft, erasedTwice: twice,
    erasureRows: await count('rights_erasures', { brand_id: brandId, state: 'done' }),
    suppression: await count('rights_suppression', { brand_id: brandId }),
    statutory: await count('rights_statutory_records', { brand_id: brandId }),
    consentSuppression: await count('consent_suppression', { brand_id: brandId }),
  };
}

/**
 * A brand of `n` closed clients with one contact each (ids client, contact, client, contact…) and a paid invoice.
 * With `closedContacts` the contacts are closed on their own too, so each is a candidate of its own: a client at the
 * end of one batch then has its contact at the start of the next.
 */
async function brandOf(slug: string, n: number, closedContacts = false): Promise<number> {
  const id = await retentionBrand(t.suite, slug, [{ category: 'contact', from: 'account-closed', days: 30, action: 'anonymise' }]);
  await approveAll(t.suite, slug);
  await seedClients(t.suite, id, Array.from({ length: n }, () => ({ closedAt: NOW - 90 * DAY, paid: [NOW - 400 * DAY], contacts: 1 })));
  if (closedContacts) await t.suite.kernel.db('subjects').where({ brand_id: id, kind: 'contact' }).update({ status: 'closed', closed_at: NOW - 90 * DAY });
  return id;
}

/**
 * Runs the brand's sweep with overlap on or off. With `watch`, the consent module's eraseMany takes 30 ms longer and
 * counts how many batches were inside it at once (two batches in flight overlap there).
 */
async function sweep(slug: string, overlap: boolean, batchSize: number, watch = false) {
  const before = process.env.SUITE_RETENTION_OVERLAP;
  process.env.SUITE_RETENTION_OVERLAP = overlap ? '1' : '0';
  const pd = t.suite.kernel.modules.get('consent')!.personalData as PersonalDataProvider;
  const real = pd.eraseMany!;
  let inside = 0;
  let most = 0;
  if (watch) {
    pd.eraseMany = async (ids, ctx) => {
      most = Math.max(most, ++inside);
      try {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return await real(ids, ctx);
      } finally {
        inside--;
      }
    };
  }
  try {
    const out = await retention(t.suite).run({ brand: slug, now: NOW, batchSize });
    return { out, concurrent: most };
  } finally {
    pd.eraseMany = real;
    if (before === undefined) delete process.env.SUITE_RETENTION_OVERLAP;
    else process.env.SUITE_RETENTION_OVERLAP = before;
  }
}

/** Makes the consent module's eraseMany throw for `subjectId` (`times` times, or always), until the returned undo runs. */
function failFor(subjectId: number, times = Infinity): () => void {
  const pd = t.suite.kernel.modules.get('consent')!.personalData as PersonalDataProvider;
  const real = pd.eraseMany!;
  let left = times;
  pd.eraseMany = async (ids, ctx) => {
    if (ids.includes(subjectId) && left-- > 0) throw Object.assign(new Error('injected'), { code: 'TEST_INJECTED' });
    return real(ids, ctx);
  };
  return () => { pd.eraseMany = real; };
}

describe('overlapping batches (SP-8)', () => {
  it('SP-8: two batches in flight end exactly as one after another: every subject once, contacts across batch edges once, the same report', async () => {
    const serialId = await brandOf('ovl-serial', 40, true);
    const overlapId = await brandOf('ovl-overlap', 40, true);
    // 7 candidates per batch out of 80 (client, contact, …): a client and its contact fall on either side of every other batch edge.
    const serial = await sweep('ovl-serial', false, 7, true);
    const overlapped = await sweep('ovl-overlap', true, 7, true);
    expect(serial.concurrent).toBe(1);
    // On MariaDB two batches were in their transactions at once; SQLite has one connection and does them in turn.
    expect(overlapped.concurrent).toBe(t.db.dialect === 'mysql' ? 2 : 1);
    const a = await outcome(serialId);
    expect(a).toMatchObject({ fieldsLeft: 0, erasedTwice: 0, statutory: 40, suppression: 80, statuses: { 'client:erased': 40, 'contact:erased': 40 } });
    expect(await outcome(overlapId)).toEqual(a);
    const rule = (o: typeof serial) => o.out.run!.report.brands[0].rules[0];
    expect(rule(serial)).toMatchObject({ state: 'done', eligible: 80, failed: 0 });
    expect(rule(overlapped)).toMatchObject({ state: 'done', processed: rule(serial).processed, failed: 0, eligible: 80 });
    expect(overlapped.out.run).toMatchObject({ state: 'finished', checkpoint: null });
  });

  it('SP-8: a batch that fails once is retried on its own and the run ends exact; a subject that keeps failing is reported, the others erased', async () => {
    for (const overlap of [true, false]) {
      const slug = `ovl-fail-${overlap ? 'on' : 'off'}`;
      const id = await brandOf(slug, 30);
      const clients = ((await t.suite.kernel.db('subjects').where({ brand_id: id, kind: 'client' }).orderBy('id').pluck('id')) as number[]).map(Number);
      const undoOnce = failFor(clients[12], 1);
      const undoAlways = failFor(clients[20]);
      try {
        const { out } = await sweep(slug, overlap, 6);
        expect([overlap, out.run!.report.brands[0].rules[0]]).toEqual([overlap, expect.objectContaining({ state: 'done', failed: 1, failures: { TEST_INJECTED: 1 } })]);
        expect(out.run).toMatchObject({ state: 'finished', checkpoint: null });
      } finally {
        undoAlways();
        undoOnce();
      }
      const o = await outcome(id);
      expect([overlap, o]).toEqual([overlap, expect.objectContaining({ erasedTwice: 0, statutory: 29, statuses: { 'client:erased': 29, 'client:closed': 1, 'contact:erased': 29, 'contact:active': 1 } })]);
      expect((await t.suite.kernel.db('subjects').where({ id: clients[20] }).first()).status).toBe('closed');
    }
  });

  it('SP-8: the checkpoint never passes a batch that did not commit: stopped by an error while a later batch is in flight, the run resumes and ends exact', async () => {
    const id = await brandOf('ovl-stop', 30);
    let calls = 0;
    // The 2nd progress report throws: the run fails there, with the batch after it possibly still in flight.
    await expect(retention(t.suite).run({ brand: 'ovl-stop', now: NOW, batchSize: 6, onProgress: () => { if (++calls === 2) throw new Error('stop'); } })).rejects.toThrow('stop');
    const run = await t.suite.kernel.db('retention_runs').where({ dry_run: false }).orderBy('id', 'desc').first();
    const cursor = (JSON.parse(run.checkpoint) as { cursor: number }).cursor;
    const all = ((await t.suite.kernel.db('subjects').where({ brand_id: id, kind: 'client' }).orderBy('id').select('id', 'status')) as { id: number; status: string }[]);
    // Every client up to the checkpoint is erased (with its contact). After it, only whole batches that committed while
    // one before them had failed (on a small table MariaDB may pick a scan that deadlocks two batches; the victim
    // rolls back): the checkpoint stays before the failed one, and the report counts exactly what was erased.
    const erased = all.filter((s) => s.status === 'erased').map((s) => Number(s.id));
    expect(all.filter((s) => Number(s.id) <= cursor).every((s) => s.status === 'erased')).toBe(true);
    expect(erased.length).toBeGreaterThanOrEqual(12);
    expect(erased.length % 6).toBe(0);
    expect(JSON.parse(run.report).brands[0].rules[0].processed).toBe(erased.length);
    const again = await retention(t.suite).run({ brand: 'ovl-stop', now: NOW, batchSize: 6 });
    expect(again.run).toMatchObject({ state: 'finished' });
    expect(again.run!.report.brands[0].rules[0]).toMatchObject({ processed: 30, failed: 0, state: 'done' });
    expect(await outcome(id)).toMatchObject({ erasedTwice: 0, statuses: { 'client:erased': 30, 'contact:erased': 30 } });
  });
});
