/**
 * Serves the real connector over HTTP with `php -S` and the fake WHMCS runtime (tests/whmcs/addon-server.php):
 * the addon's endpoint.php and index.php?m=privacysuite reach the addon as in WHMCS. Its database is a SQLite file
 * that runWhmcs scenarios (tests/helpers/whmcs-php.ts) can seed and read with `db: server.db`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CONNECTOR_ROOT, PHP } from './whmcs-php';

const ROUTER = path.resolve(__dirname, '../whmcs/addon-server.php');

export interface WhmcsPhpServer {
  /** The WHMCS base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The SQLite file of the WHMCS database. */
  db: string;
  /** What PHP wrote to stderr so far besides its start-up line: warnings, notices, fatal errors ('' when none). */
  errors: () => string;
  stop: () => Promise<void>;
}

/** A TCP port free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`php -S exited with ${child.exitCode}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (up) return;
    if (Date.now() > until) throw new Error(`php -S did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Starts `php -S` on a free port over a new database file (or `db`), the connector at `root` (default connectors/whmcs). */
export async function startWhmcsServer(opts: { db?: string; root?: string } = {}): Promise<WhmcsPhpServer> {
  const dir = opts.db ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'whmcs-server-'));
  const db = opts.db ?? path.join(dir!, 'whmcs.sqlite');
  const port = await freePort();
  const child = spawn(PHP, ['-q', '-d', 'display_errors=stderr', '-d', 'error_reporting=E_ALL', '-S', `127.0.0.1:${port}`, ROUTER], {
    env: { ...process.env, FAKE_WHMCS_DB: db, FAKE_WHMCS_ROOT: opts.root ?? CONNECTOR_ROOT },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const err: Buffer[] = [];
  child.stderr!.on('data', (b: Buffer) => err.push(b));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(port, child, 10000);
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n${Buffer.concat(err).toString('utf8')}`);
  }
  const errors = (): string => Buffer.concat(err).toString('utf8').split('\n').filter((l) => l.trim() && !/Development Server \(.*\) started$/.test(l)).join('\n');
  return { url: `http://127.0.0.1:${port}`, db, errors, stop };
}
