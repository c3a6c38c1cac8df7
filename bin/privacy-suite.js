#!/usr/bin/env node
// The privacy-suite CLI: reads .env if present, then runs the TypeScript sources through tsx (no build step). This is
// the composition root: it hands the installed modules (modules/installed.ts) to the CLI, which lives in core/.
const fs = require('node:fs');
if (fs.existsSync('.env') && typeof process.loadEnvFile === 'function') process.loadEnvFile('.env');
require('tsx/cjs');
const { main } = require('../core/cli/main.ts');
const { INSTALLED_MODULES } = require('../modules/installed.ts');
void main(process.argv, INSTALLED_MODULES);
