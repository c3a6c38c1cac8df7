/** What every CLI command shares: who is acting (for the audit log), the logger, and opening/closing the suite. */
import os from 'node:os';
import pino from 'pino';
import { Suite, type SuiteOptions } from '../suite';
import { loadConfig } from '../config';
import { createLogger, type Logger } from '../logger';
import type { Actor } from '../audit/audit-log';
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

/** Opens the suite (migrating the database first), runs `fn`, and always closes it. */
export async function withSuite<T>(fn: (suite: Suite) => Promise<T>, opts: SuiteOptions = {}): Promise<T> {
  const suite = await Suite.create({ logger: cliLogger(), ...opts });
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
