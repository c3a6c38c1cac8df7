/** The rdap module's WHOIS server, one per suite (kernel): started with the suite's background work, closed on stop. */
import type { Kernel } from '../../../core/kernel';
import { WhoisServer } from './whois-server';

const servers = new WeakMap<Kernel, WhoisServer>();

/** Starts WHOIS on `config.whoisPort` (0: a random port) and `config.host`, `config.whoisRatePerMinute` queries per address. */
export async function startWhois(kernel: Kernel): Promise<void> {
  if (servers.has(kernel)) return;
  const server = new WhoisServer(kernel, { port: kernel.config.whoisPort, host: kernel.config.host, rateLimit: { max: kernel.config.whoisRatePerMinute, windowMs: 60_000 } });
  await server.start();
  servers.set(kernel, server);
  kernel.log.info({ port: server.port }, 'whois listening');
}

export async function stopWhois(kernel: Kernel): Promise<void> {
  const server = servers.get(kernel);
  servers.delete(kernel);
  await server?.stop();
}

/** What the rdap module offers other modules and tests. */
export interface RdapService {
  /** The port WHOIS is bound to, or undefined while it is not running. */
  whoisPort(): number | undefined;
}

export function rdapService(kernel: Kernel): RdapService {
  return { whoisPort: () => servers.get(kernel)?.port };
}
