#!/usr/bin/env node
// The CLI as bin/privacy-suite.js runs it, with the escrow module added (until modules/installed.ts lists it): tests only.
require('tsx/cjs');
const { main } = require('../../../core/cli/main.ts');
const { INSTALLED_MODULES } = require('../../../modules/installed.ts');
const { withEscrow } = require('./escrow-fixtures.ts');
void main(process.argv, withEscrow(INSTALLED_MODULES));
