#!/usr/bin/env node
// `npm test` runs this first (the pretest script): it makes sure the external tools the tests drive are on the machine.
// A missing tool is installed from Debian's packages when running as root with apt-get; otherwise this stops
// (exit 1) with the exact command to run. Nothing is called when every tool is present.
//   CHROMIUM_PATH=/path/to/chromium   use a Chromium elsewhere (the browser tests read it too)
//   PHP_PATH=/path/to/php             use a PHP elsewhere (the WHMCS connector tests read it too)
//   ILLUMINATE_DATABASE_AUTOLOAD=…    Illuminate's database library elsewhere (default: Debian's php-illuminate-database)
//   TEST_SETUP_INSTALL=never          never install, even as root: print the command instead
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const executable = (file) => {
  try { fs.accessSync(file, fs.constants.X_OK); return fs.statSync(file).isFile(); } catch { return false; }
};
const onPath = (cmd) => (process.env.PATH || '').split(path.delimiter).some((dir) => dir && executable(path.join(dir, cmd)));

/** The PHP extensions the connector and its fake WHMCS use. */
const PHP_EXTENSIONS = ['pdo_sqlite', 'curl', 'mbstring', 'json'];
const ILLUMINATE = process.env.ILLUMINATE_DATABASE_AUTOLOAD || '/usr/share/php/Illuminate/Database/autoload.php';

/** What is wrong with PHP (null: nothing): the binary, then its extensions, then Illuminate's database library. */
function phpProblem(php) {
  if (!executable(php)) return `is missing (${php})`;
  const list = PHP_EXTENSIONS.map((e) => `'${e}'`).join(', ');
  const code = `foreach ([${list}] as $e) { if (!extension_loaded($e)) echo $e, ' '; }`;
  const r = spawnSync(php, ['-r', code], { encoding: 'utf8' });
  if (r.status !== 0) return `does not run (${php}: ${r.error ? r.error.message : `exit ${r.status}`})`;
  const lacking = r.stdout.trim().split(/\s+/).filter(Boolean);
  if (lacking.length) return `lacks the extensions ${lacking.join(', ')} (${php})`;
  if (!fs.existsSync(ILLUMINATE)) return `lacks Illuminate's database library (${ILLUMINATE})`;
  return null;
}

/** The tools the tests need; `problem()` says what is wrong, or null. */
const TOOLS = [
  {
    name: 'Chromium',
    why: 'the browser tests (playwright-core drives Debian\'s Chromium)',
    env: 'CHROMIUM_PATH',
    apt: ['chromium'],
    problem() { const p = process.env.CHROMIUM_PATH || '/usr/bin/chromium'; return executable(p) ? null : `is missing (${p})`; },
  },
  {
    name: 'PHP',
    why: 'the WHMCS connector tests (php-cli runs the connector inside a fake WHMCS, with pdo_sqlite, curl, mbstring and Illuminate\'s database library)',
    env: 'PHP_PATH',
    apt: ['php-cli', 'php-sqlite3', 'php-curl', 'php-mbstring', 'php-illuminate-database'],
    problem() { return phpProblem(process.env.PHP_PATH || '/usr/bin/php'); },
  },
];

const problems = new Map(TOOLS.map((t) => [t, t.problem()]));
const missing = TOOLS.filter((t) => problems.get(t) !== null);
if (missing.length === 0) process.exit(0);

const packages = [...new Set(missing.flatMap((t) => t.apt))];
const installArgs = ['install', '-y', '--no-install-recommends', ...packages];
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const mayInstall = process.env.TEST_SETUP_INSTALL !== 'never';

for (const t of missing) console.error(`test-setup: ${t.name} ${problems.get(t)}; it is needed for ${t.why}.`);

if (isRoot && mayInstall && onPath('apt-get')) {
  console.log(`test-setup: installing Debian's ${packages.join(', ')} as root:`);
  for (const args of [['update'], installArgs]) {
    console.log(`$ apt-get ${args.join(' ')}`);
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) {
      console.error(`test-setup: apt-get ${args.join(' ')} failed (${r.error ? r.error.message : `exit ${r.status}`}).`);
      process.exit(1);
    }
  }
  const still = missing.filter((t) => t.problem() !== null);
  for (const t of still) console.error(`test-setup: ${t.name} still ${t.problem()} after installing ${t.apt.join(', ')}.`);
  if (still.length) process.exit(1);
  console.log('test-setup: done.');
  process.exit(0);
}

const sudo = isRoot ? '' : 'sudo ';
console.error('test-setup: install them, then run the tests again:');
console.error(`  ${sudo}apt-get update && ${sudo}apt-get ${installArgs.join(' ')}`);
for (const t of missing) console.error(`  (or point ${t.env} at an installed ${t.name})`);
if (!onPath('apt-get')) console.error('  (this machine has no apt-get: install the same packages with its own package manager)');
process.exit(1);
