/**
 * MS-9 / WSM-27: the batch erasure is set-based — the SQL statements one batch issues do not grow with the number of
 * subjects in it (a handful per module per batch, not per subject), so the retention sweep's cost per subject falls
 * with the batch size. Minimal subjects (five encrypted fields, half with a platform client, a third with consent state).
 */
import type { Kernel } from '../../../core/kernel';
import { eraseBatchInTransaction, prepareBatch } from '../../../modules/rights/erase/erase-batch';
import { planErasure } from '../../../modules/rights/erase/erasure-plan';
import { fillMinimalSubjects } from '../../../scripts/bench/erasure-fill';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { rightsBrand } from './fixtures';

let t: TestSuite;
const ACTOR = { type: 'system' as const, id: 'retention' };

/** Erases `ids` in one batch and answers how many SQL statements the transaction issued: inserts (multi-row, 250 rows each) and the others. */
async function statementsOf(kernel: Kernel, ids: number[]): Promise<{ inserts: number; others: number }> {
  const brand = await kernel.brands.get('shop');
  const plan = await planErasure(kernel, brand, await kernel.brands.profile(brand));
  await prepareBatch(kernel);
  const n = { inserts: 0, others: 0 };
  const count = (q: { sql: string }): void => { n[/^insert/i.test(q.sql) ? 'inserts' : 'others']++; };
  kernel.db.on('query', count);
  try {
    const out = await kernel.db.transaction((trx) => eraseBatchInTransaction(kernel, trx, plan, ids, { actor: ACTOR, source: 'retention' }));
    expect(out.erased).toEqual(ids);
  } finally {
    kernel.db.off('query', count);
  }
  return n;
}

beforeAll(async () => {
  t = await startTestSuite({ http: false });
  await rightsBrand(t.suite, 'shop');
});
afterAll(async () => {
  await t?.close();
});

it('MS-9 / WSM-27: a batch of 500 subjects issues the same SQL statements as a batch of 20 (set-based, not per subject)', async () => {
  const { kernel } = t.suite;
  const brand = await kernel.brands.get('shop');
  const small = await fillMinimalSubjects(kernel, { brandId: brand.id, count: 20 });
  const large = await fillMinimalSubjects(kernel, { brandId: brand.id, count: 500 });
  const forSmall = await statementsOf(kernel, small);
  const forLarge = await statementsOf(kernel, large);
  // The same reads, updates and deletes whatever the size; only multi-row inserts split (SQLite takes 500 rows at most).
  expect(forLarge.others).toBe(forSmall.others);
  expect(forLarge.others).toBeLessThan(45);
  expect(forSmall.inserts).toBeLessThanOrEqual(6); // erasure rows, the batch's answers, statutory, two suppression lists, audit
  expect(forLarge.inserts).toBeLessThanOrEqual(12);
  const left = (await kernel.db('subject_fields').whereIn('subject_id', [...small, ...large]).count({ n: '*' }).first()) as { n: number | string };
  expect(Number(left.n)).toBe(0);
  expect(await kernel.db('rights_erasures').whereIn('subject_id', large).where({ state: 'done' }).count({ n: '*' }).first()).toMatchObject({ n: 500 });
});
