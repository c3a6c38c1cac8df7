#!/usr/bin/env node
// The privacy-suite CLI: runs the TypeScript sources through tsx, no build step needed.
require('tsx/cjs');
require('../core/cli/main.ts');
