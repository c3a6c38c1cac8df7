/** scripts/test-setup.mjs (npm's pretest): a missing tool is installed with apt-get as root, else named with the exact command. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCRIPT = path.resolve(__dirname, '../../scripts/test-setup.mjs');
const ROOT = process.getuid?.() === 0;
const INSTALL = 'apt-get install -y --no-install-recommends chromium';

let dir: string;
let bin: string;
let aptLog: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'test-setup-'));
  bin = path.join(dir, 'bin');
  aptLog = path.join(dir, 'apt.log');
  fs.mkdirSync(bin);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A stand-in apt-get on PATH: records each call; `install` "installs" Chromium at CHROMIUM_PATH unless told to fail. */
function fakeAptGet(exitCode = 0): void {
  fs.writeFileSync(path.join(bin, 'apt-get'), `#!/bin/sh
echo "$@" >> "${aptLog}"
[ ${exitCode} -ne 0 ] && exit ${exitCode}
if [ "$1" = install ]; then printf '#!/bin/sh\\n' > "$CHROMIUM_PATH"; /bin/chmod +x "$CHROMIUM_PATH"; fi
exit 0
`, { mode: 0o755 });
}

function runSetup(env: Record<string, string>) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8', env: { PATH: bin, ...env } });
  return { status: r.status, out: r.stdout, err: r.stderr, ms: Date.now() - started, apt: fs.existsSync(aptLog) ? fs.readFileSync(aptLog, 'utf8') : '' };
}

test('a no-op when the tool is present: exit 0, nothing printed, apt-get never called', () => {
  fakeAptGet();
  const chromium = path.join(dir, 'chromium');
  fs.writeFileSync(chromium, '#!/bin/sh\n', { mode: 0o755 });
  const r = runSetup({ CHROMIUM_PATH: chromium });
  expect(r).toMatchObject({ status: 0, out: '', err: '', apt: '' });
  expect(r.ms).toBeLessThan(5000);
});

test('missing and not allowed to install: exits non-zero naming the tool and the exact install command', () => {
  fakeAptGet();
  const r = runSetup({ CHROMIUM_PATH: path.join(dir, 'no-chromium'), TEST_SETUP_INSTALL: 'never' });
  expect(r.status).toBe(1);
  expect(r.err).toContain(`Chromium is missing (${path.join(dir, 'no-chromium')})`);
  expect(r.err).toContain(ROOT ? `  apt-get update && ${INSTALL}\n` : `  sudo apt-get update && sudo ${INSTALL}\n`);
  expect(r.err).toContain('point CHROMIUM_PATH at an installed Chromium');
  expect(r.apt).toBe('');
});

test('a file that is not executable counts as missing', () => {
  const chromium = path.join(dir, 'chromium');
  fs.writeFileSync(chromium, 'not a program', { mode: 0o644 });
  const r = runSetup({ CHROMIUM_PATH: chromium, TEST_SETUP_INSTALL: 'never' });
  expect(r.status).toBe(1);
  expect(r.err).toContain(INSTALL);
});

test(ROOT
  ? 'missing, as root with apt-get: runs apt-get update then the install, showing each command, and succeeds'
  : 'missing, not root: installs nothing and prints the sudo command', () => {
  fakeAptGet();
  const chromium = path.join(dir, 'chromium');
  const r = runSetup({ CHROMIUM_PATH: chromium });
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
  const r = runSetup({ CHROMIUM_PATH: path.join(dir, 'chromium') });
  expect(r.status).toBe(1);
  expect(r.err).toMatch(ROOT ? /apt-get update failed \(exit 100\)/ : new RegExp(`sudo ${INSTALL}`));
});

test('missing on a machine without apt-get: exits non-zero with the Debian command and says apt-get is absent', () => {
  const r = runSetup({ CHROMIUM_PATH: path.join(dir, 'chromium') });
  expect(r.status).toBe(1);
  expect(r.err).toContain(INSTALL);
  expect(r.err).toContain('this machine has no apt-get');
});
