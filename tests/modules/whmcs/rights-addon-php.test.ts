/**
 * Rights over what only the connector addon reaches, end to end with the real PHP (issue 15 point 11, MS-8b / MS-8f):
 * WHMCS's API is the stand-in and `modules/addons/privacysuite/endpoint.php` is the real addon under `php -S` (one WHMCS URL in front
 * of both), so an access request reads the opt-in history from WHMCS's table and an erasure deletes the email log and
 * blanks the opt-in IPs there, signed with the brand's hook secret.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runWhmcs, stepResult } from '../../helpers/whmcs-php';
import { startWhmcsServer, type WhmcsPhpServer } from '../../helpers/whmcs-php-server';
import { RIGHTS_PROFILE, rightsBrand } from '../rights/fixtures';
import { entry, WHMCS_RECIPIENT, WhmcsRightsFixture } from './rights-fixtures';

const SLUG = 'wp-shop';
const f = new WhmcsRightsFixture();
let php: WhmcsPhpServer;
let front: http.Server;

/** One WHMCS URL: the API to the stand-in, everything else (the addon) to PHP. */
function frontOf(apiUrl: string, addonUrl: string): http.Server {
  return http.createServer((req, res) => {
    const to = new URL(req.url ?? '/', req.url?.startsWith('/includes/api.php') ? apiUrl : addonUrl);
    const out = http.request(to, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.writeHead(502).end());
    req.pipe(out);
  });
}

interface ConsentRow { id: number; userid: number; opt_in: number; ip_address: string }
const rows = async <T>(sql: string): Promise<T[]> => stepResult<T[]>(await runWhmcs({ db: php.db, steps: [{ sql }] }), 0);

beforeAll(async () => {
  await f.start([]);
  php = await startWhmcsServer();
  front = frontOf(f.whmcs.url, php.url);
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  f.secrets[SLUG] = await rightsBrand(f.t.suite, SLUG, { recipients: [...RIGHTS_PROFILE.recipients, WHMCS_RECIPIENT], modules: { whmcs: { enabled: true, apiUrl: url, identifier: f.whmcs.identifier, timeoutSeconds: 10 } } });
}, 60_000);
afterAll(async () => {
  await new Promise<void>((resolve) => (front ? front.close(() => resolve()) : resolve()));
  await php?.stop();
  await f.stop();
});

it('MS-8b / MS-8f: the opt-in history is exported from WHMCS through the real addon; the erasure deletes the email log and blanks the IPs there', async () => {
  const { clientId, subjectId } = await f.knownClient(SLUG);
  const other = clientId + 1000;
  const seeded = await runWhmcs({
    db: php.db,
    settings: { suite_url: 'http://suite.test', brand: SLUG, hook_secret: f.secrets[SLUG] },
    tables: {
      tblmarketing_consent: [
        { userid: clientId, opt_in: 1, admin: 0, ip_address: '203.0.113.70', created_at: '2025-01-02 10:00:00' },
        { userid: clientId, opt_in: 0, admin: 1, ip_address: '203.0.113.71', created_at: '2025-06-02 10:00:00' },
        { userid: other, opt_in: 1, admin: 0, ip_address: '192.0.2.70', created_at: '2025-01-03 10:00:00' },
      ],
      tblemails: [
        { userid: clientId, subject: 'Welcome', message: 'Hello Ada', date: '2025-01-02 10:00:00', to: 'ada@example.org' },
        { userid: other, subject: 'Welcome', message: 'Hello Bob', date: '2025-01-02 10:00:00', to: 'bob@example.org' },
      ],
    },
  });
  expect(seeded.warnings).toEqual([]);

  const { zip } = await f.exportZip(SLUG, subjectId);
  const data = JSON.parse(entry(zip, 'data.json'));
  expect(data.modules.whmcs.notReached).toEqual([]);
  expect(data.records.whmcs['whmcs-marketing-history'].rows.map((r: { optin: boolean; ip: string }) => [r.optin, r.ip])).toEqual([[true, '203.0.113.70'], [false, '203.0.113.71']]);

  await f.fulfil(SLUG, { type: 'erase', subjectId });
  await f.drain(SLUG);
  const [msg] = await f.t.suite.kernel.db('outbox').where({ topic: 'whmcs.erase-client', subject_id: subjectId });
  expect(msg.state).toBe('delivered');
  expect((await rows<ConsentRow>('select id, userid, opt_in, ip_address from tblmarketing_consent order by id')).map((r) => [r.userid, r.opt_in, r.ip_address]))
    .toEqual([[clientId, 1, ''], [clientId, 0, ''], [other, 1, '192.0.2.70']]);
  expect((await rows<{ userid: number }>('select userid from tblemails order by id')).map((r) => r.userid)).toEqual([other]);
  expect(php.errors()).toBe('');
}, 60_000);
