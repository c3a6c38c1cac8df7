/** Module loading: one failing module is reported and the others load; unknown hooks and bad bindings fail at start-up. */
import fs from 'node:fs';
import path from 'node:path';
import { ModuleRegistry } from '../../core/modules/registry';
import { defineModule, onHook } from '../../core/modules/define-module';
import { resolveBindings } from '../../core/hooks/dispatcher';
import { defineBinding } from '../../hooks/define-binding';
import { DEFAULT_BINDINGS } from '../../hooks/bindings';
import { INSTALLED_MODULES } from '../../modules/installed';
import { startTestSuite, createBrand } from '../helpers/test-suite';
import inventory from '../../modules/inventory';

const ok = (name: string, requires: string[] = []) => defineModule({ name, version: '1.0.0', type: 'addon', description: name, storesPersonalData: false, requires });

describe('module registry', () => {
  it('a module that throws while loading is reported and does not stop the others', () => {
    const r = new ModuleRegistry();
    const reported: string[] = [];
    r.load([ok('alpha'), { name: 'broken', load: () => { throw new Error('syntax error in broken/index.ts'); } }, ok('gamma')], (f) => reported.push(f.module));
    expect(r.list().map((m) => m.name)).toEqual(['alpha', 'gamma']);
    expect(reported).toEqual(['broken']);
    expect(r.failures[0].error).toContain('syntax error');
  });

  it('a module whose required module failed is reported too', () => {
    const r = new ModuleRegistry();
    r.load([{ name: 'broken', load: () => { throw new Error('boom'); } }, ok('needs-broken', ['broken']), ok('fine')]);
    expect(r.list().map((m) => m.name)).toEqual(['fine']);
    expect(r.failures.map((f) => f.module)).toEqual(['broken', 'needs-broken']);
  });

  it('a module storing personal data without export/erase is refused', () => {
    expect(() => defineModule({ name: 'leaky', version: '1', type: 'addon', description: 'x', storesPersonalData: true })).toThrow(/personalData/);
    const r = new ModuleRegistry();
    r.load([{ name: 'leaky', load: () => ({ name: 'leaky', version: '1', type: 'addon', description: 'x', storesPersonalData: true }) }]);
    expect(r.failures[0].error).toMatch(/personalData/);
  });

  it('an action for an unknown hook name makes its module fail to load', () => {
    const r = new ModuleRegistry();
    const bad = { ...ok('typo'), hooks: { x: { hook: 'ClientAddd', handler: () => undefined } } } as never;
    r.load([bad]);
    expect(r.failures[0].error).toContain('ClientAddd');
  });

  it('a binding naming an unknown hook fails at start-up', () => {
    const r = new ModuleRegistry();
    r.load([inventory]);
    const bad = { ...DEFAULT_BINDINGS[0], id: 'bad', hook: 'NoSuchHook' } as never;
    expect(() => resolveBindings([bad], r, () => undefined)).toThrow(/unknown hook "NoSuchHook"/);
  });

  it('a binding whose action is written for another hook fails at start-up', () => {
    const r = new ModuleRegistry();
    r.load([inventory]);
    const bad = defineBinding({ id: 'mismatch', hook: 'ClientEdit', module: 'inventory', action: 'recordNewClient', priority: 1, enabledByDefault: true, description: 'x' });
    expect(() => resolveBindings([bad], r, () => undefined)).toThrow(/written for ClientAdd/);
  });

  it('Suite.create refuses to start with an unknown hook binding', async () => {
    const bad = { ...DEFAULT_BINDINGS[0], id: 'bad', hook: 'NoSuchHook' } as never;
    await expect(startTestSuite({ http: false, bindings: [bad] })).rejects.toThrow(/unknown hook/);
  });

  it('the suite starts and serves hooks when one installed module fails to load', async () => {
    const t = await startTestSuite({ http: false, modules: [{ name: 'broken', load: () => { throw new Error('boom'); } }, inventory, onHookModule] });
    try {
      await createBrand(t.suite, 'acme');
      expect(t.suite.registry.failures.map((f) => f.module)).toEqual(['broken']);
      const r = await t.suite.hooks.run('ClientAdd', { client_id: 1, email: 'a@example.org' }, { brand: 'acme' });
      expect(r.ok).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('every binding file in hooks/bindings is listed in the default bindings, and every installed module loads', () => {
    const dir = path.resolve(__dirname, '../../hooks/bindings');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.replace(/\.ts$/, ''));
    expect(DEFAULT_BINDINGS.map((b) => b.id).sort()).toEqual(files.sort());
    const r = new ModuleRegistry();
    r.load(INSTALLED_MODULES);
    expect(r.failures).toEqual([]);
    expect(() => resolveBindings(DEFAULT_BINDINGS, r, () => undefined)).not.toThrow();
  });
});

const onHookModule = defineModule({ name: 'noop', version: '1', type: 'addon', description: 'noop', storesPersonalData: false, hooks: { n: onHook('ClientAdd', () => undefined) } });
