/**
 * `rights erase` and `rights resume`: bulk erasure of a brand's subjects as a resumable run (one subject per
 * transaction; a killed run leaves each subject untouched or fully erased) and the resume of unfinished runs.
 * The rights module adds them to the CLI (its definition's `cli`); progress lines ("erased 340/1000") go to stderr.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Suite } from '../../core/suite';
import { CliUsageError } from '../../core/cli/cli-errors';
import { cliActor, outputFor, withSuite } from '../../core/cli/context';
import { iso } from '../../core/cli/output';
import type { RunProgress } from './erase/erasure-runs';
import type { RightsService } from './rights-service';

/** Parses subject ids from a comma list or a file with one id per line (blank lines and # comments skipped). */
export function parseSubjectIds(opts: { subjects?: string; file?: string }): number[] {
  if (Boolean(opts.subjects) === Boolean(opts.file)) throw new CliUsageError('name the subjects with exactly one of --subjects <id,id,…> or --file <path>');
  let parts: string[];
  if (opts.file) {
    try {
      parts = fs.readFileSync(path.resolve(opts.file), 'utf8').split(/\r?\n/).map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
    } catch (err) {
      throw new CliUsageError(`cannot read the subject file ${opts.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  } else parts = opts.subjects!.split(',').map((p) => p.trim()).filter(Boolean);
  const ids = parts.map((p) => {
    if (!/^\d+$/.test(p) || Number(p) < 1) throw new CliUsageError(`"${p.slice(0, 40)}" is not a subject id (a positive whole number)`);
    return Number(p);
  });
  if (!ids.length) throw new CliUsageError('no subject ids given');
  return ids;
}

function rightsOf(suite: Suite): RightsService {
  if (!suite.registry.get('rights')) throw new CliUsageError('the rights module is not installed');
  return suite.kernel.service<RightsService>('rights');
}

/** Writes "erased n/total" to stderr about a hundred times per run (and at the end). */
function progressPrinter(): (p: RunProgress) => void {
  let last = -1;
  return (p) => {
    const n = p.done + p.failed;
    const step = Math.max(1, Math.floor(p.total / 100));
    if (n === last || (n % step !== 0 && n !== p.total)) return;
    last = n;
    process.stderr.write(`run ${p.runId}: erased ${p.done}/${p.total}${p.failed ? ` (${p.failed} failed)` : ''}\n`);
  };
}

const view = (p: RunProgress): Record<string, unknown> => ({ ...p, createdAt: iso(p.createdAt), finishedAt: iso(p.finishedAt) });

/** Registers `rights` and its subcommands. */
export function registerRights(program: Command): void {
  const rights = program.command('rights').description('Data subject rights: bulk erasure runs and their resume (provided by the rights module).');

  rights.command('erase')
    .description('Erase subjects of a brand as one resumable run: for each subject, in one transaction, statutory billing records are kept, every module erases, processors are told through the outbox. Killed half-way, each subject is either untouched or fully erased; `rights resume` finishes the run.')
    .requiredOption('--brand <slug>', 'the brand the subjects belong to')
    .option('--subjects <ids>', 'subject ids, comma-separated')
    .option('--file <path>', 'a file with one subject id per line')
    .option('--json', 'print the run as JSON')
    .action(async (opts: { brand: string; subjects?: string; file?: string; json?: boolean }) => {
      const out = outputFor(opts);
      const ids = parseSubjectIds(opts);
      const run = await withSuite(async (suite) => {
        const brand = await suite.kernel.brands.get(opts.brand);
        return rightsOf(suite).eraseSubjects(brand, ids, cliActor(), { onProgress: progressPrinter() });
      });
      out.result({ ok: run.failed === 0, run: view(run) }, () => out.line(`run ${run.runId}: ${run.state}, erased ${run.done}/${run.total}${run.failed ? `, ${run.failed} failed` : ''}`));
      if (run.failed) process.exitCode = 1;
    });

  rights.command('resume')
    .description('Continue every erasure run that did not finish (the process was killed or stopped); `serve` does the same when it starts.')
    .option('--json', 'print the runs as JSON')
    .action(async (opts: { json?: boolean }) => {
      const out = outputFor(opts);
      const runs = await withSuite((suite) => rightsOf(suite).resumeRuns({ onProgress: progressPrinter() }));
      const failed = runs.reduce((n, r) => n + r.failed, 0);
      out.result({ ok: failed === 0, runs: runs.map(view) }, () => {
        if (!runs.length) out.line('no unfinished erasure runs');
        for (const r of runs) out.line(`run ${r.runId}: ${r.state}, erased ${r.done}/${r.total}${r.failed ? `, ${r.failed} failed` : ''}`);
      });
      if (failed) process.exitCode = 1;
    });
}
