/** How the CLI reports failures: coded suite errors and usage errors get a message (no stack), and an exit code. */
import { CommanderError } from 'commander';
import { SuiteError } from '../errors';

/** Exit codes: 0 done, 1 the operation failed (or found a problem), 2 the command was used wrongly or is unavailable. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A mistake in how the command was called (bad option, missing file, feature not installed): exit 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

function stderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Prints an error to stderr (JSON with --json) and returns the exit code to use. */
export function reportError(err: unknown, json: boolean): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage; // commander already printed it
  if (err instanceof SuiteError) {
    if (json) stderr(JSON.stringify(err.toJSON()));
    else {
      stderr(`error [${err.code}]: ${err.message}`);
      for (const f of err.fields ?? []) stderr(`  - ${f.field}: ${f.message}`);
    }
    return EXIT.failed;
  }
  const usage = err instanceof CliUsageError;
  const message = err instanceof Error ? err.message : String(err);
  if (json) stderr(JSON.stringify({ ok: false, code: usage ? 'CLI_USAGE' : 'CLI_FAILED', error: message }));
  else stderr(`error: ${message}`);
  // Unexpected errors show their stack only when asked for (LOG_LEVEL=debug|trace).
  if (!usage && err instanceof Error && /^(debug|trace)$/.test(process.env.LOG_LEVEL ?? '')) stderr(err.stack ?? '');
  return usage ? EXIT.usage : EXIT.failed;
}
