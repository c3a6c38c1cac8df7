/** `retention run`: the sweep (or a dry run) from the command line, done by the retention service's `run`. */
import type { Command } from 'commander';
import { runModuleBacked } from '../../core/cli/commands/module-backed';

/** Registers `retention run` (the retention module adds it to the CLI through its definition's `cli`). */
export function registerRetentionCli(program: Command): void {
  const retention = program.command('retention').description('Apply the brands\' retention tables (provided by the retention module).');
  retention.command('run')
    .description('Delete or anonymise what the retention table says has expired, per brand, and report it. With --dry-run only report what would go.')
    .option('--dry-run', 'report what would be deleted or anonymised, change nothing')
    .option('--brand <slug>', 'only this brand (default: every brand the module is on for)')
    .option('--json', 'print the report as JSON')
    .action((opts: { dryRun?: boolean; brand?: string; json?: boolean }) => runModuleBacked({ module: 'retention', method: 'run' }, opts));
}
