/** The `privacy-suite` CLI: wires the commands, runs one, maps failures to exit codes (1 failed, 2 usage). */
import { Command } from 'commander';
import { reportError } from './cli-errors';
import { isLongRunning } from './context';
import { registerServe } from './commands/serve';
import { registerMigrate } from './commands/migrate';
import { registerDemo } from './commands/demo';
import { registerKeys } from './commands/keys';
import { registerLedger } from './commands/ledger';
import { registerBrand } from './commands/brand';
import { registerApiKey } from './commands/apikey';
import { registerModuleBacked } from './commands/module-backed';
import { registerRights } from './commands/rights';

/** Builds the command tree (every command with its --help). */
export function buildProgram(): Command {
  const program = new Command('privacy-suite')
    .description('Privacy, consent, registrant-data and retention modules for hosting billing platforms. Every command reads DATABASE_URL (default sqlite:data/suite.sqlite), SUITE_MASTER_KEY and the other settings in .env.example.')
    .version(require('../../package.json').version as string)
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', '\nExit codes: 0 done, 1 failed (or a broken ledger), 2 wrong usage or a feature not installed.');
  registerServe(program);
  registerMigrate(program);
  registerDemo(program);
  registerBrand(program);
  registerApiKey(program);
  registerKeys(program);
  registerLedger(program);
  registerModuleBacked(program);
  registerRights(program);
  return program;
}

/** Runs the CLI with `argv` and sets the process exit code. */
export async function main(argv: string[] = process.argv): Promise<void> {
  const json = argv.includes('--json');
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    process.exitCode = reportError(err, json);
  }
  // A finished one-shot command exits even if a library left a handle open; `serve` keeps running.
  if (!isLongRunning() || process.exitCode) setTimeout(() => process.exit(), 2000).unref();
}

// Run when started directly or through bin/privacy-suite.js (which loads this file via tsx).
if (require.main === module || /privacy-suite(\.js)?$/.test(require.main?.filename ?? '')) void main();
