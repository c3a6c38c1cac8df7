/** The `privacy-suite` CLI: wires the commands, runs one, maps failures to exit codes (1 failed, 2 usage). */
import { Command } from 'commander';
import { reportError } from './cli-errors';
import { isLongRunning, useModules } from './context';
import { registerServe } from './commands/serve';
import { registerMigrate } from './commands/migrate';
import { registerDemo } from './commands/demo';
import { registerKeys } from './commands/keys';
import { registerLedger } from './commands/ledger';
import { registerBrand } from './commands/brand';
import { registerApiKey } from './commands/apikey';
import { registerUser } from './commands/user';
import { registerModuleBacked } from './commands/module-backed';
import { ModuleRegistry, type ModuleSource } from '../modules/registry';

/** Builds the command tree (every command with its --help): the kernel's, then each installed module's own (`cli`). */
export function buildProgram(modules: ModuleSource[]): Command {
  useModules(modules);
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
  registerUser(program);
  registerKeys(program);
  registerLedger(program);
  registerModuleBacked(program);
  // A module that fails to load adds no commands; the commands that open the suite report why.
  const registry = new ModuleRegistry();
  registry.load(modules);
  registry.registerCli(program);
  return program;
}

/** Runs the CLI with `argv` over the installation's `modules` (bin/privacy-suite.js passes them) and sets the exit code. */
export async function main(argv: string[], modules: ModuleSource[]): Promise<void> {
  const json = argv.includes('--json');
  try {
    await buildProgram(modules).parseAsync(argv);
  } catch (err) {
    process.exitCode = reportError(err, json);
  }
  // A finished one-shot command exits even if a library left a handle open; `serve` keeps running.
  if (!isLongRunning() || process.exitCode) setTimeout(() => process.exit(), 2000).unref();
}
