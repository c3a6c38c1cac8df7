/**
 * Commands whose work a module's service method does (`retention run`, `escrow deposit`), called with the options and
 * the CLI actor. `escrow deposit` is listed by the contract before its module exists: until it is installed, exit 2.
 * A module adds its own such commands through its definition's `cli` (modules/retention/cli.ts).
 */
import type { Command } from 'commander';
import { CliUsageError } from '../cli-errors';
import { cliActor, installedModules, outputFor, withSuite } from '../context';

/** A command whose work is done by a module's service method. */
export interface ModuleBackedSpec { module: string; method: string }

type ServiceMethod = (opts: Record<string, unknown>) => Promise<unknown>;

/** Runs `spec.method` of the module's service, or explains that the module is not installed (exit 2). */
export async function runModuleBacked(spec: ModuleBackedSpec, opts: Record<string, unknown> & { json?: boolean }): Promise<void> {
  const unavailable = new CliUsageError(`not available yet: the ${spec.module} module is not installed`);
  if (!installedModules().some((m) => m.name === spec.module)) throw unavailable;
  const out = outputFor(opts);
  await withSuite(async (suite) => {
    if (!suite.registry.get(spec.module)) throw unavailable;
    let service: Record<string, unknown>;
    try {
      service = suite.kernel.service<Record<string, unknown>>(spec.module);
    } catch {
      throw unavailable;
    }
    const method = service[spec.method];
    if (typeof method !== 'function') throw unavailable;
    const { json: _json, ...rest } = opts;
    // SIGTERM / SIGINT ask the work to stop at its next safe point (a batch boundary); it resumes on the next run.
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    let result: unknown;
    try {
      // Progress is drawn on stderr, and only for people (never with --json).
      result = await (method as ServiceMethod).call(service, { ...rest, actor: cliActor(), signal: stop.signal, ...(opts.json ? {} : { progressStream: process.stderr }) });
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    }
    out.result(result ?? { ok: true }, () => out.line(JSON.stringify(result ?? { ok: true }, null, 2)));
    if ((result as { ok?: unknown } | undefined)?.ok === false) process.exitCode = 1;
  });
}

/** Registers `escrow deposit`. */
export function registerModuleBacked(program: Command): void {
  const escrow = program.command('escrow').description('Registrar data escrow deposits (provided by the escrow module).');
  escrow.command('deposit')
    .description('Build the registrar data escrow deposit (CSV, hash file, OpenPGP encryption and signature) and hand it to the escrow agent. Needs the escrow module (exit 2 until it is installed).')
    .option('--full', 'a full deposit whatever the day (default: full on the brand\'s fullDay, incremental otherwise)')
    .option('--brand <slug>', 'only this brand (default: every brand with escrow enabled)')
    .option('--json', 'print the report as JSON')
    .action((opts: { full?: boolean; brand?: string; json?: boolean }) => runModuleBacked({ module: 'escrow', method: 'deposit' }, opts));
}
