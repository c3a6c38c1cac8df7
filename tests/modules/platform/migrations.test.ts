/** The platform owns its migrations: down removes every platform_ table, up restores them. */
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { appliedMigrations, migrateDown, migrateUp } from '../../../core/db/migrator';
import { PLATFORM_MIGRATIONS } from '../../../modules/platform';
import { platformTables } from './fixtures';

let t: TestSuite;

beforeAll(async () => {
  t = await startTestSuite({ http: false });
});
afterAll(() => t.close());

const ALL = ['platform_activity_log', 'platform_clients', 'platform_contacts', 'platform_domains', 'platform_invoices', 'platform_orders', 'platform_payers', 'platform_services'];

describe('platform migrations', () => {
  it('are named YYYYMMDDHHmm-verb-noun and applied on start', async () => {
    for (const m of PLATFORM_MIGRATIONS) expect(m.name).toMatch(/^\d{12}-[a-z]+(-[a-z]+)+$/);
    expect(await appliedMigrations(t.suite.kernel.db, 'platform')).toEqual(PLATFORM_MIGRATIONS.map((m) => m.name));
    expect(await platformTables(t.suite)).toEqual(ALL);
  });

  it('platform migrations down then up again leave no platform_ tables, then restore them', async () => {
    const set = { module: 'platform', migrations: PLATFORM_MIGRATIONS };
    const undone = await migrateDown(t.suite.kernel.db, set);
    expect(undone).toEqual([...PLATFORM_MIGRATIONS].reverse().map((m) => m.name));
    expect(await platformTables(t.suite)).toEqual([]);
    expect(await appliedMigrations(t.suite.kernel.db, 'platform')).toEqual([]);
    await migrateUp(t.suite.kernel.db, [set]);
    expect(await platformTables(t.suite)).toEqual(ALL);
    expect(await appliedMigrations(t.suite.kernel.db, 'platform')).toEqual(PLATFORM_MIGRATIONS.map((m) => m.name));
  });
});
