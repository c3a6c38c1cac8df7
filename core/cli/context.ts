/** What every CLI command shares: who is acting (for the audit log), the logger, the installed modules, and opening/closing the suite. */
import os from 'node:os';
import pino from 'pino';
import { Suite, type SuiteOptions } from '../suite';
import { loadConfig } from '../config';
import { createLogger, type Logger } from '../logger';
import type { Actor } from '../audit/audit-log';
import type { ModuleSource } from '../modules/registry';
import { Output } from './output';

/** The audit actor for CLI actions: the OS user running the command. */
export function cliActor(): Actor {
  let id = 'cli';
  try {
    id = os.userInfo().username || 'cli';
  } catch {
    // No passwd entry (some containers): keep the generic id.
  }
  return { type: 'cli', id };
}

/** A logger writing to stderr, so stdout carries only the command's output. */
export function cliLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  return createLogger(loadConfig(env).logLevel, pino.destination({ dest: 2, sync: true }));
}

/** The output for a command's parsed options (`--json`). */
export function outputFor(opts: { json?: boolean }): Output {
  return new Output(Boolean(opts.json));
}

let installed: ModuleSource[] = [];

/** Sets the modules every command loads: `main` does, with the list the composition root (bin/) hands it. */
export function useModules(modules: ModuleSource[]): void {
  installed = modules;
}

/** The modules this installation loads (modules/installed.ts, received from bin/: core/ imports no module). */
export function installedModules(): ModuleSource[] {
  return installed;
}

/** Opens the suite with the installed modules (migrating the database first), runs `fn`, and always closes it. */
export async function withSuite<T>(fn: (suite: Suite) => Promise<T>, opts: Partial<SuiteOptions> = {}): Promise<T> {
  const suite = await Suite.create({ logger: cliLogger(), modules: installed, ...opts });
  try {
    return await fn(suite);
  } finally {
    await suite.stop();
  }
}

let longRunning = false;

/** Marks the process as a server that must not be exited once the command's action returns. */
export function markLongRunning(): void {
  longRunning = true;
}

/** Whether the running command keeps the process alive (serve). */
export function isLongRunning(): boolean {
  return longRunning;
}
