/**
 * The database connection's session settings. MariaDB turns an IN list of 1,000 values or more into a derived-table
 * join, after which it may scan a whole secondary index instead of looking each value up (a batch erasure of 1,000
 * subjects scanned `rights_erasures` end to end, so the retention sweep slowed with every batch): every pooled
 * connection turns that off. SQLite has no such setting, and nothing to check.
 */
import type { Knex } from 'knex';
import { openDatabase } from '../../core/db/connection';
import { createTestDb, onMysql, type TestDb } from '../helpers/test-db';

let db: TestDb;
let conn: Knex;

beforeAll(async () => {
  db = await createTestDb();
  conn = openDatabase(db.url, { poolMax: 3 });
});
afterAll(async () => {
  await conn?.destroy();
  await db?.drop();
});

(onMysql() ? describe : describe.skip)('MySQL/MariaDB session settings', () => {
  it('every pooled connection has IN-list conversion off (MariaDB), and a 1,000-id look-up by a secondary index is a range on that index', async () => {
    const [[version]] = (await conn.raw('select version() as v')) as [{ v: string }[]];
    // Three transactions at once: three different connections of the pool.
    const values = await Promise.all([0, 1, 2].map(() => conn.transaction(async (trx) => {
      const [rows] = (await trx.raw("show session variables like 'in_predicate_conversion_threshold'")) as [{ Value: string }[]];
      await new Promise((resolve) => setTimeout(resolve, 50));
      return rows[0]?.Value ?? null;
    })));
    expect(values).toEqual(/mariadb/i.test(version.v) ? ['0', '0', '0'] : [null, null, null]);

    await conn.schema.createTable('in_list_probe', (t) => {
      t.increments('id');
      t.bigInteger('subject_id').notNullable().index();
    });
    for (let start = 0; start < 20_000; start += 1000) await conn('in_list_probe').insert(Array.from({ length: 1000 }, (_, i) => ({ subject_id: start + i + 1 })));
    await conn.raw('analyze table in_list_probe');
    const ids = Array.from({ length: 1000 }, (_, i) => 500 + i);
    const [plan] = (await conn.raw(`explain select id from in_list_probe where subject_id in (${ids.map(() => '?').join(',')})`, ids)) as [{ table: string; type: string; key: string | null }[]];
    expect(plan.map((p) => [p.table, p.type, p.key])).toEqual([['in_list_probe', 'range', 'in_list_probe_subject_id_index']]);
  });
});
