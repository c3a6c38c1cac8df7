#!/usr/bin/env node
// `npm test` runs this first (the pretest script): it makes sure the external tools the tests drive are on the machine.
// A missing tool is installed from Debian's packages when running as root with apt-get; otherwise this stops
// (exit 1) with the exact command to run. Nothing is called when every tool is present.
//   CHROMIUM_PATH=/path/to/chromium   use a Chromium elsewhere (the browser tests read it too)
//   TEST_SETUP_INSTALL=never          never install, even as root: print the command instead
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The tools the tests need; one entry each (PHP for the WHMCS connector tests would be one more). */
const TOOLS = [
  {
    name: 'Chromium',
    why: 'the browser tests (playwright-core drives Debian\'s Chromium)',
    path: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    env: 'CHROMIUM_PATH',
    apt: 'chromium',
  },
];

const executable = (file) => {
  try { fs.accessSync(file, fs.constants.X_OK); return fs.statSync(file).isFile(); } catch { return false; }
};
const onPath = (cmd) => (process.env.PATH || '').split(path.delimiter).some((dir) => dir && executable(path.join(dir, cmd)));

const missing = TOOLS.filter((t) => !executable(t.path));
if (missing.length === 0) process.exit(0);

const packages = [...new Set(missing.map((t) => t.apt))];
const installArgs = ['install', '-y', '--no-install-recommends', ...packages];
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const mayInstall = process.env.TEST_SETUP_INSTALL !== 'never';

for (const t of missing) console.error(`test-setup: ${t.name} is missing (${t.path}); it is needed for ${t.why}.`);

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
  const still = missing.filter((t) => !executable(t.path));
  for (const t of still) console.error(`test-setup: ${t.name} is still missing at ${t.path} after installing ${t.apt}.`);
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
