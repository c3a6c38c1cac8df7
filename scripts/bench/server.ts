/** The bench's HTTP server process: a real Suite on the bench database, listening on 127.0.0.1 (port chosen by the OS). */
import type { AddressInfo } from 'node:net';
import { Suite } from '../../core/suite';
import { INSTALLED_MODULES } from '../../modules/installed';

async function main(): Promise<void> {
  const suite = await Suite.create({
    env: {}, migrate: false, modules: INSTALLED_MODULES,
    config: { databaseUrl: process.env.BENCH_DB_URL!, dataDir: process.env.BENCH_DATA_DIR!, masterKey: process.env.BENCH_MASTER_KEY!, logLevel: 'silent', scheduler: false },
  });
  const server = await suite.listen(0, '127.0.0.1', { background: false });
  process.send!({ port: (server.address() as AddressInfo).port });
  process.on('message', (m: { cmd?: string }) => {
    if (m.cmd === 'cpu') process.send!({ cpu: process.cpuUsage() });
    if (m.cmd !== 'stop') return;
    const peakRss = process.resourceUsage().maxRSS * 1024;
    void suite.stop().then(() => process.send!({ peakRss }, () => process.exit(0)));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
