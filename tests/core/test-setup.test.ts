/** scripts/test-setup.mjs (npm's pretest): a missing tool (Chromium; PHP with its extensions and Illuminate) is installed with apt-get as root, else named with the exact command. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCRIPT = path.resolve(__dirname, '../../scripts/test-setup.mjs');
const ROOT = process.getuid?.() === 0;
const INSTALL = 'apt-get install -y --no-install-recommends chromium';
const PHP_PACKAGES = 'php-cli php-sqlite3 php-curl php-mbstring php-illuminate-database';
const INSTALL_PHP = `apt-get install -y --no-install-recommends ${PHP_PACKAGES}`;

let dir: string;
let bin: string;
let aptLog: string;
let php: string;
let illuminate: string;
let chromium: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'test-setup-'));
  bin = path.join(dir, 'bin');
  aptLog = path.join(dir, 'apt.log');
  fs.mkdirSync(bin);
  php = path.join(dir, 'php');
  illuminate = path.join(dir, 'Illuminate-Database-autoload.php');
  chromium = path.join(dir, 'chromium');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A stand-in PHP: records its arguments; answers the extension check by printing `lacking` (none: all loaded). */
function fakePhp(lacking = ''): void {
  fs.writeFileSync(php, `#!/bin/sh\necho "$@" >> "${php}.log"\nprintf '%s' '${lacking}'\n`, { mode: 0o755 });
}
/** Everything present: Chromium, PHP with its extensions, Illuminate's database library. */
function allPresent(): void {
  fs.writeFileSync(chromium, '#!/bin/sh\n', { mode: 0o755 });
  fakePhp();
  fs.writeFileSync(illuminate, '<?php\n');
}

/** A stand-in apt-get on PATH: records each call; `install` "installs" what its packages name unless told to fail. */
function fakeAptGet(exitCode = 0): void {
  fs.writeFileSync(path.join(bin, 'apt-get'), `#!/bin/sh
echo "$@" >> "${aptLog}"
[ ${exitCode} -ne 0 ] && exit ${exitCode}
if [ "$1" = install ]; then
  case "$*" in *" chromium"*) printf '#!/bin/sh\\n' > "$CHROMIUM_PATH"; /bin/chmod +x "$CHROMIUM_PATH";; esac
  case "$*" in *" php-cli"*) printf '#!/bin/sh\\n' > "$PHP_PATH"; /bin/chmod +x "$PHP_PATH"; : > "$ILLUMINATE_DATABASE_AUTOLOAD";; esac
fi
exit 0
`, { mode: 0o755 });
}

function runSetup(env: Record<string, string>) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8', env: { PATH: bin, CHROMIUM_PATH: chromium, PHP_PATH: php, ILLUMINATE_DATABASE_AUTOLOAD: illuminate, ...env } });
  return { status: r.status, out: r.stdout, err: r.stderr, ms: Date.now() - started, apt: fs.existsSync(aptLog) ? fs.readFileSync(aptLog, 'utf8') : '' };
}

test('a no-op when every tool is present: exit 0, nothing printed, apt-get never called', () => {
  fakeAptGet();
  allPresent();
  const r = runSetup({});
  expect(r).toMatchObject({ status: 0, out: '', err: '', apt: '' });
  expect(r.ms).toBeLessThan(5000);
  expect(fs.readFileSync(`${php}.log`, 'utf8')).toMatch(/^-r foreach \(\['pdo_sqlite', 'curl', 'mbstring', 'json'\] as \$e\) \{ if \(!extension_loaded/);
});

test('missing and not allowed to install: exits non-zero naming the tool and the exact install command', () => {
  fakeAptGet();
  allPresent();
  const r = runSetup({ CHROMIUM_PATH: path.join(dir, 'no-chromium'), TEST_SETUP_INSTALL: 'never' });
  expect(r.status).toBe(1);
  expect(r.err).toContain(`Chromium is missing (${path.join(dir, 'no-chromium')})`);
  expect(r.err).toContain(ROOT ? `  apt-get update && ${INSTALL}\n` : `  sudo apt-get update && sudo ${INSTALL}\n`);
  expect(r.err).toContain('point CHROMIUM_PATH at an installed Chromium');
  expect(r.apt).toBe('');
});

test('a file that is not executable counts as missing', () => {
  allPresent();
  fs.writeFileSync(chromium, 'not a program');
  fs.chmodSync(chromium, 0o644);
  const r = runSetup({ CHROMIUM_PATH: chromium, TEST_SETUP_INSTALL: 'never' });
  expect(r.status).toBe(1);
  expect(r.err).toContain(INSTALL);
});

test(ROOT
  ? 'missing, as root with apt-get: runs apt-get update then the install, showing each command, and succeeds'
  : 'missing, not root: installs nothing and prints the sudo command', () => {
  fakeAptGet();
  allPresent();
  fs.rmSync(chromium);
  const r = runSetup({});
  if (ROOT) {
    expect(r.status).toBe(0);
    expect(r.apt).toBe('update\ninstall -y --no-install-recommends chromium\n');
    expect(r.out).toContain(`$ apt-get update\n$ ${INSTALL}\n`);
    expect(fs.existsSync(chromium)).toBe(true);
  } else {
    expect(r.status).toBe(1);
    expect(r.apt).toBe('');
    expect(r.err).toContain(`sudo ${INSTALL}`);
  }
});

test('missing, and apt-get fails: exits non-zero naming the command that failed', () => {
  fakeAptGet(100);
  allPresent();
  fs.rmSync(chromium);
  const r = runSetup({});
  expect(r.status).toBe(1);
  expect(r.err).toMatch(ROOT ? /apt-get update failed \(exit 100\)/ : new RegExp(`sudo ${INSTALL}`));
});

test('missing on a machine without apt-get: exits non-zero with the Debian command and says apt-get is absent', () => {
  allPresent();
  fs.rmSync(chromium);
  const r = runSetup({});
  expect(r.status).toBe(1);
  expect(r.err).toContain(INSTALL);
  expect(r.err).toContain('this machine has no apt-get');
});

describe('PHP for the WHMCS connector tests', () => {
  const sudo = ROOT ? '' : 'sudo ';

  test('PHP missing and not allowed to install: names PHP, its packages in the exact command, and PHP_PATH', () => {
    fakeAptGet();
    allPresent();
    fs.rmSync(php);
    const r = runSetup({ TEST_SETUP_INSTALL: 'never' });
    expect(r.status).toBe(1);
    expect(r.err).toContain(`PHP is missing (${php}); it is needed for the WHMCS connector tests`);
    expect(r.err).toContain(`  ${sudo}apt-get update && ${sudo}${INSTALL_PHP}\n`);
    expect(r.err).toContain('point PHP_PATH at an installed PHP');
    expect(r.err).not.toContain('Chromium');
    expect(r.apt).toBe('');
  });

  test('a PHP without pdo_sqlite or curl counts as missing, naming the extensions it lacks', () => {
    allPresent();
    fakePhp('pdo_sqlite curl ');
    const r = runSetup({ TEST_SETUP_INSTALL: 'never' });
    expect(r.status).toBe(1);
    expect(r.err).toContain(`PHP lacks the extensions pdo_sqlite, curl (${php})`);
    expect(r.err).toContain(INSTALL_PHP);
  });

  test('a PHP without Illuminate\'s database library counts as missing, naming the file', () => {
    allPresent();
    fs.rmSync(illuminate);
    const r = runSetup({ TEST_SETUP_INSTALL: 'never' });
    expect(r.status).toBe(1);
    expect(r.err).toContain(`PHP lacks Illuminate's database library (${illuminate})`);
    expect(r.err).toContain(INSTALL_PHP);
  });

  test('the extension check runs in the real PHP: without its ini files (php -n) pdo_sqlite, curl and mbstring are missing', () => {
    allPresent();
    fs.writeFileSync(php, `#!/bin/sh\nexec ${process.env.PHP_PATH || '/usr/bin/php'} -n "$@"\n`);
    const r = runSetup({ TEST_SETUP_INSTALL: 'never' });
    expect(r.status).toBe(1);
    expect(r.err).toContain(`PHP lacks the extensions pdo_sqlite, curl, mbstring (${php})`);
  });

  test('a PHP that does not run counts as missing', () => {
    allPresent();
    fs.writeFileSync(php, '#!/bin/sh\nexit 3\n');
    const r = runSetup({ TEST_SETUP_INSTALL: 'never' });
    expect(r.status).toBe(1);
    expect(r.err).toContain(`PHP does not run (${php}: exit 3)`);
  });

  test(ROOT
    ? 'Chromium and PHP missing, as root: one apt-get install of every package, then both are there'
    : 'Chromium and PHP missing, not root: one sudo command installing every package', () => {
    fakeAptGet();
    const r = runSetup({});
    const all = `apt-get install -y --no-install-recommends chromium ${PHP_PACKAGES}`;
    if (ROOT) {
      expect(r.status).toBe(0);
      expect(r.apt).toBe(`update\ninstall -y --no-install-recommends chromium ${PHP_PACKAGES}\n`);
      expect(r.out).toContain(`$ ${all}\n`);
      expect(fs.existsSync(php) && fs.existsSync(illuminate) && fs.existsSync(chromium)).toBe(true);
    } else {
      expect(r.status).toBe(1);
      expect(r.err).toContain(`sudo ${all}`);
    }
  });
});
