/** Personal data never appears in application logs (pino with redaction), whatever a handler passes. */
import { Writable } from 'node:stream';
import { createLogger } from '../../core/logger';
import { startTestSuite, createBrand, postHook } from '../helpers/test-suite';

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
    const t = await startTestSuite({ logger: createLogger('debug', stream) });
    try {
      const secret = await createBrand(t.suite, 'acme');
      await postHook(t.baseUrl, 'ClientAdd', secret, { brand: 'acme', vars: { client_id: 1, firstname: 'Grace', lastname: 'Hopper', email: 'grace@example.org', password: 'pw-plain-1' }, context: { ip: '192.0.2.44' } });
      await postHook(t.baseUrl, 'ClientAdd', secret, { brand: 'acme', vars: { client_id: 'x', email: 'grace@example' } });
      await postHook(t.baseUrl, 'ClientAdd', 'wrong', { brand: 'acme', vars: { client_id: 2, email: 'grace2@example.org' } });
    } finally {
      await t.close();
    }
    const out = lines.join('');
    for (const s of ['Grace', 'Hopper', 'grace@example.org', 'pw-plain-1', '192.0.2.44', 'grace2@example.org']) expect(out).not.toContain(s);
  });
});
