/**
 * CSRF for page forms (core/pages/csrf.ts): a state-changing post without the token, or with a wrong one, or with a
 * token bound to another session, is refused with 403 SUITE_CSRF_INVALID and writes nothing; the right one passes.
 */
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import express from 'express';
import { errorHandler } from '../../core/http/respond';
import { bindCsrfSession, csrfToken, requireCsrf, sendPage } from '../../core/pages';
import { startTestSuite, type TestSuite } from '../helpers/test-suite';

let t: TestSuite;
let server: http.Server;
let base: string;
const writes: string[] = [];

beforeAll(async () => {
  t = await startTestSuite({ http: false });
  const kernel = t.suite.kernel;
  const app = express();
  // A later session middleware binds the token to its session id (here: the X-Session header, for the test).
  app.use((req, res, next) => {
    const sid = req.get('x-session');
    if (sid) bindCsrfSession(res, sid);
    next();
  });
  app.get('/form', (req, res) => {
    sendPage(req, res, 200, { page: 'test/pages-form', locale: 'en', csrfToken: csrfToken(kernel, req, res), view: { title: 'Form' } });
  });
  app.post('/form', express.urlencoded({ extended: false, limit: '4kb' }), requireCsrf(kernel), (req, res) => {
    writes.push(String((req.body as { note?: string }).note));
    res.status(204).end();
  });
  app.use(errorHandler(kernel.log));
  await new Promise<void>((r) => { server = app.listen(0, '127.0.0.1', () => r()); });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await t.close();
});

/** Loads the form: its cookie and the token in its hidden field. */
async function loadForm(headers: Record<string, string> = {}): Promise<{ cookie: string; token: string }> {
  const res = await fetch(`${base}/form`, { headers });
  const cookie = res.headers.get('set-cookie')!.split(';')[0];
  const token = /name="_csrf" value="([^"]+)"/.exec(await res.text())![1];
  return { cookie, token };
}

const post = (body: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${base}/form`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(body) });

describe('CSRF on page forms', () => {
  it('the form carries the token in a hidden field; its cookie is HttpOnly and SameSite=Strict', async () => {
    const res = await fetch(`${base}/form`);
    expect(res.headers.get('set-cookie')).toMatch(/^suite_csrf=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(await res.text()).toMatch(/<input type="hidden" name="_csrf" value="[\w-]+">/);
  });

  it('refuses a post without a token, with a wrong one or without the cookie (403 SUITE_CSRF_INVALID), writing nothing', async () => {
    const { cookie, token } = await loadForm();
    for (const [body, headers] of [
      [{ note: 'a' }, { cookie }],
      [{ note: 'b', _csrf: `${token.slice(0, -2)}xx` }, { cookie }],
      [{ note: 'c', _csrf: token }, {}],
      [{ note: 'd', _csrf: token }, { cookie: `suite_csrf=${'A'.repeat(43)}` }],
    ] as [Record<string, string>, Record<string, string>][]) {
      const res = await post(body, headers);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe('SUITE_CSRF_INVALID');
    }
    expect(writes).toEqual([]);
  });

  it('a browser (asking for HTML) gets the refusal as a page in its language, 403, nothing written', async () => {
    const { cookie } = await loadForm();
    const res = await post({ note: 'html' }, { cookie, accept: 'text/html,application/xhtml+xml', 'accept-language': 'de' });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<html lang="de" dir="ltr">');
    expect(html).toContain('Dieses Formular ist abgelaufen');
    expect(html).toContain('SUITE_CSRF_INVALID');
    expect(writes).toEqual([]);
  });

  it('accepts the right token, in the field or the X-CSRF-Token header', async () => {
    const { cookie, token } = await loadForm();
    expect((await post({ note: 'ok', _csrf: token }, { cookie })).status).toBe(204);
    expect((await post({ note: 'hdr' }, { cookie, 'x-csrf-token': token })).status).toBe(204);
    expect(writes).toEqual(['ok', 'hdr']);
  });

  it('a token bound to one session does not pass for another', async () => {
    writes.length = 0;
    const { cookie, token } = await loadForm({ 'x-session': 's1' });
    expect((await post({ note: 'other', _csrf: token }, { cookie, 'x-session': 's2' })).status).toBe(403);
    expect((await post({ note: 'none', _csrf: token }, { cookie })).status).toBe(403);
    expect((await post({ note: 'same', _csrf: token }, { cookie, 'x-session': 's1' })).status).toBe(204);
    expect(writes).toEqual(['same']);
  });
});
