/** A module's routes answer only for brands it is switched on for; admin module routes need a key scoped to the brand. */
import { defineModule } from '../../core/modules/define-module';
import { startTestSuite, createBrand, type TestSuite } from '../helpers/test-suite';
import inventory from '../../modules/inventory';

const routed = defineModule({
  name: 'routed', version: '1.0.0', type: 'addon', description: 'test routes', storesPersonalData: false,
  routes: {
    client: (r) => { r.get('/hello', (req, res) => { res.json({ ok: true, brand: req.brand?.slug }); }); },
    admin: (r) => { r.get('/stats', (req, res) => { res.json({ ok: true, brand: req.brand?.slug }); }); },
  },
});

let t: TestSuite;
let globexKey: string;
const actor = { type: 'cli' as const, id: 'test' };

beforeAll(async () => {
  t = await startTestSuite({ modules: [inventory, routed], bindings: [] });
  await createBrand(t.suite, 'acme');
  await createBrand(t.suite, 'globex');
  globexKey = (await t.suite.apiKeys.create({ role: 'admin', brand: 'globex' }, actor)).key;
});
afterAll(() => t.close());

const get = async (path: string, key?: string) => {
  const res = await fetch(`${t.baseUrl}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('module routes', () => {
  it('serve a brand the module is on for, and 404 where it is switched off', async () => {
    expect((await get('/b/acme/routed/hello')).body.brand).toBe('acme');
    await t.suite.kernel.brands.setEnabled('acme', 'module', 'routed', false, actor);
    const off = await get('/b/acme/routed/hello');
    expect(off.status).toBe(404);
    expect(off.body.code).toBe('SUITE_MODULE_DISABLED');
    expect((await get('/b/globex/routed/hello')).status).toBe(200);
  });

  it('admin module routes need a key, and a brand-scoped key only reaches its own brand', async () => {
    expect((await get('/api/v1/admin/brands/globex/modules/routed/stats')).status).toBe(401);
    expect((await get('/api/v1/admin/brands/globex/modules/routed/stats', globexKey)).body.brand).toBe('globex');
    expect((await get('/api/v1/admin/brands/acme/modules/routed/stats', globexKey)).status).toBe(403);
  });

  it('unknown brands and routes answer 404 with a catalogue code', async () => {
    expect((await get('/b/nope/routed/hello')).body.code).toBe('SUITE_BRAND_UNKNOWN');
    expect((await get('/nothing-here')).body.code).toBe('SUITE_NOT_FOUND');
  });
});
