#!/usr/bin/env node
// The privacy-suite CLI: reads .env if present, then runs the TypeScript sources through tsx (no build step).
const fs = require('node:fs');
if (fs.existsSync('.env') && typeof process.loadEnvFile === 'function') process.loadEnvFile('.env');
require('tsx/cjs');
require('../core/cli/main.ts');
