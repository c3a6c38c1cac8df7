/** `whmcs import --brand <slug>`: the initial import of an existing WHMCS install (modules/whmcs/import/run-import.ts). */
import type { Command } from 'commander';
import { outputFor, withSuite } from '../../core/cli/context';
import { importProgress } from './import/progress';
import { DEFAULT_PAGE_SIZE, importWhmcs, type ImportResult } from './import/run-import';
import { PHASES } from './import/import-context';

interface ImportCliOptions { brand: string; restart?: boolean; pageSize?: string; json?: boolean }

function pageSizeOf(raw: string | undefined): number {
  const n = raw === undefined ? DEFAULT_PAGE_SIZE : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new Error(`--page-size must be a whole number from 1 to 1000 (got ${raw})`);
  return n;
}

/** The result for people: one line per phase, then pages, time and speed, then what was not reached. */
function printResult(line: (s?: string) => void, r: ImportResult): void {
  line(`WHMCS import of ${r.brand}: done${r.resumed ? ' (resumed)' : ''}`);
  for (const p of PHASES) {
    const c = r.phases[p];
    line(`  ${p.padEnd(13)} seen ${c.seen}, written ${c.written}, unchanged ${c.unchanged}, skipped ${c.skipped} (${c.pages} pages)`);
  }
  line(`  ${r.pages} pages in ${r.seconds.toFixed(1)} s, ${r.clientsPerSecond} clients/s`);
  for (const n of r.notReached) line(`  ${n}`);
}

/** Registers `whmcs import` (the whmcs module adds it to the CLI through its definition's `cli`). */
export function registerWhmcsCli(program: Command): void {
  const whmcs = program.command('whmcs').description('The brand\'s WHMCS install (provided by the whmcs module).');
  whmcs.command('import')
    .description('Import clients, contacts, users, domains, paid invoices and the marketing opt-in history from the brand\'s WHMCS through its API, page by page. Resumes an unfinished run; a run over an unchanged WHMCS changes nothing.')
    .requiredOption('--brand <slug>', 'the brand whose WHMCS to import (profile modules.whmcs: apiUrl, identifier; secret in SUITE_WHMCS_API_SECRET_<SLUG>)')
    .option('--restart', 'start over from the first page instead of resuming an unfinished run')
    .option('--page-size <n>', `rows per API page (default ${DEFAULT_PAGE_SIZE})`)
    .option('--json', 'print the result as JSON')
    .action(async (opts: ImportCliOptions) => {
      const out = outputFor(opts);
      const pageSize = pageSizeOf(opts.pageSize);
      const progress = importProgress({ tty: process.stderr.isTTY ? process.stderr : null, line: (s) => out.progress(s) });
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
      try {
        const result = await withSuite((suite) => importWhmcs(suite.kernel, { brand: opts.brand, restart: opts.restart, pageSize, signal: stop.signal, onProgress: progress.update }));
        progress.end();
        out.result(result, () => printResult((s) => out.line(s), result));
      } finally {
        progress.end();
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      }
    });
}
