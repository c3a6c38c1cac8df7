/** The WHMCS connector runs on PHP 7.4 to 8.x (WHMCS 8 and 9): checked with php -l, php-parser in 7.4 mode and an AST walk; including a file prints and sends nothing. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { php74Problems } from '../whmcs/php74-check';
import { CONNECTOR_ROOT, PHP, runWhmcs } from '../helpers/whmcs-php';

const FIXTURES = path.resolve(__dirname, '../whmcs/php8-fixtures');

/** Every .php file under a folder, relative to it. */
function phpFiles(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) return phpFiles(dir, r);
    return e.name.endsWith('.php') ? [r] : [];
  }).sort();
}

const connectorFiles = phpFiles(CONNECTOR_ROOT);
/**
 * Files a web request runs directly (like WHMCS's gateway callbacks), which WHMCS never includes: they answer and end
 * the request by design. Every other file is included by WHMCS and must stay silent.
 */
const ENTRY_POINTS = ['modules/addons/privacysuite/endpoint.php'];
const includedFiles = connectorFiles.filter((f) => !ENTRY_POINTS.includes(f));

it('the connector has its PHP files (hook file, addon, registrar module)', () => {
  expect(connectorFiles).toEqual(expect.arrayContaining([
    'includes/hooks/privacy_suite.php', 'modules/addons/privacysuite/privacysuite.php', 'modules/addons/privacysuite/lib/SuiteClient.php',
  ]));
});

describe.each(connectorFiles)('%s', (file) => {
  it('passes php -l', () => {
    const r = spawnSync(PHP, ['-l', path.join(CONNECTOR_ROOT, file)], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain('No syntax errors detected');
    expect(r.status).toBe(0);
  });

  it('is PHP 7.4: php-parser in 7.4 mode parses it and no PHP 8 feature is used', () => {
    expect(php74Problems(fs.readFileSync(path.join(CONNECTOR_ROOT, file), 'utf8'), file)).toEqual([]);
  });
});

describe('the PHP 7.4 check itself', () => {
  const fixtures = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.php')).sort();

  it('has a fixture for each PHP 8 feature it refuses', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
  });

  it.each(fixtures)('refuses %s', (fixture) => {
    const code = fs.readFileSync(path.join(FIXTURES, fixture), 'utf8');
    const expected = /\/\/ refused: (.+)/.exec(code)?.[1];
    expect(expected).toBeDefined();
    const problems = php74Problems(code, fixture);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toContain(String(expected).startsWith('syntax') ? 'syntax PHP 7.4 does not parse' : `: ${expected}`);
  });

  it('accepts PHP 7.4 (typed properties, arrow functions, ??=, spreads, static::class, # comments)', () => {
    expect(php74Problems(fs.readFileSync(path.resolve(__dirname, '../whmcs/php74-ok.php'), 'utf8'), 'php74-ok.php')).toEqual([]);
  });
});

describe('including the connector files', () => {
  let server: net.Server;
  let connections = 0;
  let settings: Record<string, string>;
  beforeAll(async () => {
    server = net.createServer((sock) => { connections++; sock.destroy(); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    settings = { suite_url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, brand: 'shop', hook_secret: 'secret' };
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('the entry points exist (they are checked by the tests that request them, tests/whmcs-connector/addon-endpoint.test.ts)', () => {
    expect(connectorFiles).toEqual(expect.arrayContaining(ENTRY_POINTS));
  });

  it.each(includedFiles)('%s prints nothing, queries nothing, warns nothing and connects nowhere', async (file) => {
    const run = await runWhmcs({ settings, session: { uid: 1 }, include: [file] });
    expect(run).toMatchObject({ output: '', includeQueries: [], warnings: [], completed: true, stdout: '', stderr: '' });
    expect(connections).toBe(0);
  });

  it('all of them together in one request (as WHMCS may load them): no clash, no output, no I/O', async () => {
    const run = await runWhmcs({ settings, session: { uid: 1 }, include: includedFiles });
    expect(run).toMatchObject({ output: '', includeQueries: [], warnings: [], completed: true, stdout: '', stderr: '' });
    expect(connections).toBe(0);
  });
});
