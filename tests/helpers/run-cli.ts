/** Spawns the real CLI (`node bin/privacy-suite.js …`) against a test database. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TestDb } from './test-db';
import { TEST_MASTER_KEY } from './test-suite';

const BIN = path.resolve(__dirname, '../../bin/privacy-suite.js');

/** What a finished CLI run printed and how it exited. */
export interface CliRun { code: number | null; stdout: string; stderr: string }

/** The environment a CLI run gets: the test database, a fixed master key, silent logs. Runs in the data dir so no .env is read. */
export function cliEnv(db: TestDb, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: db.url, SUITE_MASTER_KEY: TEST_MASTER_KEY, SUITE_DATA_DIR: db.dataDir, LOG_LEVEL: 'silent', ...extra };
}

function spawnCli(db: TestDb, args: string[], extra: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: db.dataDir, env: cliEnv(db, extra), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs one command to completion. */
export function runCli(db: TestDb, args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(db, args, extra);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a `--json` command and parses its stdout; fails with the output when it did not exit 0. */
export async function runJson<T = Record<string, unknown>>(db: TestDb, args: string[]): Promise<T> {
  const r = await runCli(db, [...args, '--json']);
  if (r.code !== 0) throw new Error(`privacy-suite ${args.join(' ')} exited ${r.code}\n${r.stderr}\n${r.stdout}`);
  return JSON.parse(r.stdout) as T;
}

/** A running `serve`: its URL once listening, its output so far, and a way to stop it with a signal. */
export interface Served { url: string; output: () => string; stop: (signal?: NodeJS.Signals) => Promise<number | null> }

/** Starts `serve` on a free port and resolves once it prints its listening line. */
export function startServe(db: TestDb, args: string[] = []): Promise<Served> {
  const child = spawnCli(db, ['serve', ...args], { PORT: '0', WHOIS_PORT: '0' });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`serve did not start\n${stdout}\n${stderr}`)); }, 30_000);
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          output: () => stdout,
          stop: (signal = 'SIGTERM') => { child.kill(signal); return exited; },
        });
      }
    });
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`serve exited ${code} before listening\n${stdout}\n${stderr}`)); });
  });
}
