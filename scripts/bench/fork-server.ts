/** Starts a bench's server in a child process on a bench database (the child reports its port over IPC). */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { BenchDb } from './db';

/**
 * Forks `script` (run through bin/run-ts.js, with `args`) with the database, data dir and master key in BENCH_DB_URL,
 * BENCH_DATA_DIR and BENCH_MASTER_KEY; BENCH_SERVER_PROF=<dir> writes a CPU profile of the server process there.
 */
export async function forkServer(script: string, args: string[], db: BenchDb, masterKey: string): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(path.resolve(__dirname, '../../bin/run-ts.js'), [script, ...args], {
    env: { ...process.env, BENCH_DB_URL: db.url, BENCH_DATA_DIR: db.dataDir, BENCH_MASTER_KEY: masterKey },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: process.env.BENCH_SERVER_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_SERVER_PROF] : [],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port?: number }) => (m.port ? resolve(m.port) : reject(new Error('server did not start'))));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, port };
}
