/** Personal data never appears in application logs (pino with redaction), whatever a handler passes. */
import { Writable } from 'node:stream';
import { createLogger } from '../../core/logger';
import { startTestSuite, createBrand, postHook } from '../helpers/test-suite';
import { defineModule, onHook } from '../../core/modules/define-module';
import { defineBinding } from '../../hooks/define-binding';
import { DEFAULT_BINDINGS } from '../../hooks/bindings';
import { INSTALLED_MODULES } from '../../modules/installed';

/** A module whose ClientAdd handler fails with the customer's email in its message, as a driver error might. */
const leaky = defineModule({
  name: 'leaky', version: '1.0.0', type: 'addon', description: 'test', storesPersonalData: false,
  hooks: { fail: onHook('ClientAdd', (ctx) => { throw new Error(`Duplicate entry '${ctx.vars.email}' for key 'email'`); }) },
});
const leakyBinding = defineBinding({ id: 'leaky-fail', hook: 'ClientAdd', module: 'leaky', action: 'fail', priority: 99, enabledByDefault: true, description: 'fails' });

function capture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  return { stream, lines };
}

describe('logging', () => {
  it('redacts personal fields and secrets by key', () => {
    const { stream, lines } = capture();
    const log = createLogger('info', stream);
    log.info({ email: 'ada@example.org', password: 'hunter2', nested: { phonenumber: '+44.1', ip: '203.0.113.5' }, vars: { firstname: 'Ada' } }, 'x');
    const out = lines.join('');
    for (const s of ['ada@example.org', 'hunter2', '+44.1', '203.0.113.5', 'Ada']) expect(out).not.toContain(s);
  });

  it('a full hook round trip, including a failing after-hook and bad input, logs no personal data', async () => {
    const { stream, lines } = capture();
    const t = await startTestSuite({ logger: createLogger('debug', stream), modules: [...INSTALLED_MODULES, leaky], bindings: [...DEFAULT_BINDINGS, leakyBinding] });
    try {
      const secret = await createBrand(t.suite, 'acme');
      const ok = await postHook(t.baseUrl, 'ClientAdd', secret, { brand: 'acme', vars: { client_id: 1, firstname: 'Grace', lastname: 'Hopper', email: 'grace@example.org', password: 'pw-plain-1' }, context: { ip: '192.0.2.44' } });
      expect(ok.body.afterHookFailures).toBe(1);
      // The failure list the admin sees masks the quoted value too.
      const failure = await t.suite.kernel.db('hook_failures').where({ binding: 'leaky-fail' }).first();
      expect(failure.message).toContain('Duplicate entry');
      expect(failure.message).not.toContain('grace@example.org');
      await postHook(t.baseUrl, 'ClientAdd', secret, { brand: 'acme', vars: { client_id: 'x', email: 'grace@example' } });
      await postHook(t.baseUrl, 'ClientAdd', 'wrong', { brand: 'acme', vars: { client_id: 2, email: 'grace2@example.org' } });
    } finally {
      await t.close();
    }
    const out = lines.join('');
    // The handler failure did reach the log (so that path ran) …
    expect(out).toContain('after-hook handler failed');
    expect(out).toContain('leaky-fail');
    // … without any of the personal values.
    for (const s of ['Grace', 'Hopper', 'grace@example.org', 'pw-plain-1', '192.0.2.44', 'grace2@example.org']) expect(out).not.toContain(s);
  });
});
