/** `serve`: runs the HTTP server with the scheduler and outbox worker; issues the owner key once; stops gracefully. */
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { Suite } from '../../suite';
import { cliLogger, installedModules, markLongRunning, outputFor } from '../context';
import { reportError } from '../cli-errors';
import type { Output } from '../output';
import { wholeNumber } from '../parse';

function printOwnerKey(out: Output, key: string, url: string): void {
  out.event({ event: 'owner-key', key, note: 'shown once; it is stored only as a hash' }, () => {
    const rule = '='.repeat(78);
    out.line(rule);
    out.line('First start: an owner API key was issued. It is shown ONCE and never printed again.');
    out.line('');
    out.line(`    ${key}`);
    out.line('');
    out.line('Next:');
    out.line('  1. Store the key now (a password manager). It opens the admin API as');
    out.line('       Authorization: Bearer <key>');
    out.line(`     e.g. curl -H "Authorization: Bearer <key>" ${url}/api/v1/admin/brands`);
    out.line('  2. Load the demo brands and customers: npm run demo (or: npx privacy-suite demo)');
    out.line('  3. Read README.md to set up your own brands (privacy-suite brand create) and panels.');
    out.line(rule);
  });
}

/** Stops on SIGTERM/SIGINT: no new connections, in-flight requests finish, leases released, then exit 0. */
function onSignals(suite: Suite, out: Output): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      out.progress(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    out.event({ event: 'stopping', signal }, () => out.line(`${signal}: stopping (finishing in-flight requests, releasing leases)…`));
    suite.stop().then(
      () => {
        out.event({ event: 'stopped' }, () => out.line('stopped'));
        process.exit(0);
      },
      (err: unknown) => process.exit(reportError(err, out.json)),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** Registers `serve`. */
export function registerServe(program: Command): void {
  program.command('serve')
    .description('Run the suite: migrate the database, then serve the hook API, admin API and module routes, with the scheduled jobs and the outbox worker (SUITE_SCHEDULER=0 turns those off). On an empty database it issues the owner API key and prints it once. SIGTERM/SIGINT stop it gracefully: no new requests, in-flight ones finish, job leases are released, exit 0.')
    .option('--port <port>', 'port to listen on (default: PORT or 8080; 0 picks a free one)', wholeNumber(0))
    .option('--host <host>', 'address to bind (default: HOST or 127.0.0.1)')
    .option('--json', 'print events (owner-key, listening, stopping, stopped) as JSON lines')
    .action(async (opts: { port?: number; host?: string; json?: boolean }) => {
      const out = outputFor(opts);
      const suite = await Suite.create({ logger: cliLogger(), modules: installedModules() });
      markLongRunning();
      let server;
      let ownerKey: string | null;
      try {
        // Listen first: a key issued for a server that then fails to bind would be lost.
        server = await suite.listen(opts.port ?? suite.kernel.config.port, opts.host ?? suite.kernel.config.host);
        ownerKey = await suite.bootstrapOwnerKey();
      } catch (err) {
        await suite.stop().catch(() => undefined);
        throw err;
      }
      onSignals(suite, out);
      const addr = server.address() as AddressInfo;
      const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      const url = `http://${host}:${addr.port}`;
      if (ownerKey) printOwnerKey(out, ownerKey, url);
      out.event({ event: 'listening', url, port: addr.port }, () => out.line(`privacy-suite listening on ${url}`));
    });
}
