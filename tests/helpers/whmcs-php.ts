/** Runs the real WHMCS connector files with PHP inside the fake WHMCS runtime (tests/whmcs/) and returns what happened. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CONNECTOR_ROOT = path.resolve(__dirname, '../../connectors/whmcs');
const RUNNER = path.resolve(__dirname, '../whmcs/run-scenario.php');
export const PHP = process.env.PHP_PATH || '/usr/bin/php';

/** One step, run in order after the includes; an exception thrown by a step is recorded, and the next step runs. */
export type WhmcsStep =
  | { hook: string; vars?: Record<string, unknown> }                  // run_hook(): the list of every callback's answer
  | { call: string; args?: unknown[] }                                // a global function, e.g. privacysuite_activate
  | { sql: string; bindings?: unknown[] }                             // select → rows; anything else → affected rows
  | { php: string }                                                   // eval'd PHP; its `return` is the result
  | { include: string }                                               // one more file, relative to the WHMCS root
  | { set: Partial<Pick<WhmcsScenario, 'post' | 'get' | 'session' | 'server' | 'settings' | 'tables' | 'localApi'>> };

export interface WhmcsScenario {
  /** SQLite file of the WHMCS database (several runs may share one); default: in memory for this run. */
  db?: string;
  /** The addon's settings, replacing its rows in tbladdonmodules (a boolean true is stored as WHMCS's `on`). */
  settings?: Record<string, string | number | boolean>;
  /** Rows to insert before the run: { tblclients: [{ id: 1, email: … }] }. */
  tables?: Record<string, Record<string, unknown>[]>;
  post?: Record<string, unknown>;
  get?: Record<string, unknown>;
  session?: Record<string, unknown>;
  /** Merged over the fake's defaults (REMOTE_ADDR 203.0.113.10, HTTP_USER_AGENT, HTTP_HOST whmcs.test…). */
  server?: Record<string, unknown>;
  /** localAPI answers by command; a list is answered in order and its last entry repeats. Unscripted: result error. */
  localApi?: Record<string, unknown>;
  /** getRegistrarConfigOptions() answers by registrar module name. */
  registrarConfig?: Record<string, Record<string, unknown>>;
  /** Files WHMCS would have loaded, relative to the WHMCS root (e.g. 'includes/hooks/privacy_suite.php'). */
  include?: string[];
  steps?: WhmcsStep[];
  /** Extra files laid over a temporary copy of connectors/whmcs (e.g. a recording registrar module). */
  files?: Record<string, string>;
  /** The WHMCS root to use as is (default connectors/whmcs, or the temporary copy when `files` is given). */
  root?: string;
}

/** The hook file, as a scenario names it, and a step that creates the addon's tables (as activation does). */
export const HOOK_FILE = 'includes/hooks/privacy_suite.php';
export const INSTALL_ADDON: WhmcsStep = { php: '\\WHMCS\\Module\\Addon\\Privacysuite\\Schema::install(); return true;' };

export interface WhmcsStepResult { step: number; result?: unknown; error?: { class: string; message: string; file: string; line: number }; output: string }

export interface WhmcsRun {
  /** Printed while including the files: must be ''. */
  output: string;
  /** SQL run while including the files: must be empty. */
  includeQueries: string[];
  steps: WhmcsStepResult[];
  /** False when the connector called exit or died; then see stoppedAtStep, pendingOutput and fatal. */
  completed: boolean;
  stoppedAtStep?: number | null;
  pendingOutput?: string;
  fatal?: { type: number; message: string; file: string; line: number };
  localApiCalls: { command: string; values: Record<string, unknown>; adminUser: string; answer: unknown }[];
  moduleLog: { module: string; action: string; request: unknown; response: unknown; processed: unknown; replaceVars: unknown }[];
  /** PHP warnings, notices and deprecations raised during the run. */
  warnings: { type: string; message: string; file: string; line: number }[];
  session: Record<string, unknown>;
  /** Callbacks registered per hook point. */
  hooks: Record<string, number>;
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

/** A temporary WHMCS root: a copy of connectors/whmcs with `files` laid over it. Remove it with fs.rmSync when done. */
export function makeWhmcsRoot(files: Record<string, string> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'whmcs-root-'));
  fs.cpSync(CONNECTOR_ROOT, root, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return root;
}

/** Runs a scenario in a fresh PHP process (asynchronously, so an in-process test suite keeps answering). */
export async function runWhmcs(scenario: WhmcsScenario, opts: { timeoutMs?: number } = {}): Promise<WhmcsRun> {
  const { files, ...rest } = scenario;
  const tempRoot = files && !scenario.root ? makeWhmcsRoot(files) : undefined;
  const input = JSON.stringify({ ...rest, root: scenario.root ?? tempRoot ?? CONNECTOR_ROOT });
  try {
    return await new Promise<WhmcsRun>((resolve, reject) => {
      const child = spawn(PHP, ['-d', 'display_errors=stderr', '-d', 'error_reporting=E_ALL', RUNNER], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
      const chunks: Record<'stdout' | 'stderr' | 'result', Buffer[]> = { stdout: [], stderr: [], result: [] };
      child.stdout!.on('data', (b: Buffer) => chunks.stdout.push(b));
      child.stderr!.on('data', (b: Buffer) => chunks.stderr.push(b));
      (child.stdio[3] as NodeJS.ReadableStream).on('data', (b: Buffer) => chunks.result.push(b));
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30000);
      child.on('error', (e) => { clearTimeout(timer); reject(e); });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        const stdout = Buffer.concat(chunks.stdout).toString('utf8');
        const stderr = Buffer.concat(chunks.stderr).toString('utf8');
        const raw = Buffer.concat(chunks.result).toString('utf8');
        if (!raw) {
          reject(new Error(`runWhmcs: PHP gave no result (exit ${code ?? signal})\nstdout: ${stdout}\nstderr: ${stderr}`));
          return;
        }
        resolve({ ...(JSON.parse(raw) as Omit<WhmcsRun, 'stdout' | 'stderr' | 'exitCode'>), stdout, stderr, exitCode: code });
      });
      child.stdin!.end(input);
    });
  } finally {
    if (tempRoot) fs.rmSync(tempRoot, { recursive: true, force: true });
  }
}

/** The result of step `i`, throwing with the PHP error when the step failed (handy in expectations). */
export function stepResult<T = unknown>(run: WhmcsRun, i: number): T {
  const s = run.steps[i];
  if (!s) throw new Error(`runWhmcs: no step ${i} (completed: ${run.completed}, stderr: ${run.stderr})`);
  if (s.error) throw new Error(`runWhmcs: step ${i} threw ${s.error.class}: ${s.error.message} (${s.error.file}:${s.error.line})`);
  return s.result as T;
}
