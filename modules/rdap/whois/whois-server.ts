/**
 * WHOIS over TCP (RFC 3912): one query line ending in CRLF, the answer as text, then the server closes. Answers a
 * domain query with the registration data as RDAP publishes it (the same redaction decisions). Queries over 255
 * bytes or that are not a domain name get a short error; idle connections close after 10 s; a per-IP window, counted
 * in the database for all instances, limits how many queries an address may make.
 */
import net, { type AddressInfo, type Server, type Socket } from 'node:net';
import { DatabaseRateLimitStore } from '../../../core/http/rate-limit-store';
import type { Kernel } from '../../../core/kernel';
import { ldhName } from '../names';
import { findRegistration } from '../registration-view';
import { noMatch, whoisAnswer } from './whois-format';

export const MAX_QUERY_BYTES = 255;

export interface WhoisOptions {
  port: number;
  host: string;
  /** Idle connection timeout (default 10 s). */
  timeoutMs?: number;
  /** Queries per IP per window (default 60 a minute). */
  rateLimit?: { max: number; windowMs: number };
}

export class WhoisServer {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** Queries per IP and window, counted in the database like the HTTP limits; servers with the same limit share it. */
  private readonly limit: { store: DatabaseRateLimitStore; max: number };
  private readonly timeoutMs: number;

  constructor(private readonly kernel: Kernel, private readonly opts: WhoisOptions) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    const rl = opts.rateLimit ?? { max: 60, windowMs: 60_000 };
    this.limit = { store: new DatabaseRateLimitStore(kernel.db, kernel.keyring, `rdap-whois:${rl.max}/${rl.windowMs}`, rl.windowMs), max: rl.max };
  }

  /** The bound port (a random one when configured as 0), or undefined when not listening. */
  get port(): number | undefined {
    const a = this.server?.address();
    return a && typeof a === 'object' ? (a as AddressInfo).port : undefined;
  }

  async start(): Promise<void> {
    const server = net.createServer((socket) => this.connection(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host, () => { server.off('error', reject); resolve(); });
    });
    server.on('error', (err) => this.kernel.log.warn({ code: (err as NodeJS.ErrnoException).code }, 'whois server error'));
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  private connection(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(this.timeoutMs, () => socket.destroy());
    let buf = Buffer.alloc(0);
    let done = false;
    const reply = (text: string): void => {
      done = true;
      socket.removeAllListeners('data');
      socket.end(text);
    };
    socket.on('data', (chunk: Buffer) => {
      if (done) return;
      buf = Buffer.concat([buf, chunk]);
      const eol = buf.indexOf('\n');
      if (eol < 0) {
        if (buf.length > MAX_QUERY_BYTES + 1) reply('Error: query too long.\r\n');
        return;
      }
      const line = buf.subarray(0, eol > 0 && buf[eol - 1] === 0x0d ? eol - 1 : eol);
      if (line.length > MAX_QUERY_BYTES) return reply('Error: query too long.\r\n');
      done = true;
      this.allowedAnswer(socket.remoteAddress ?? '', line.toString('utf8')).then((text) => socket.end(text), (err: unknown) => {
        this.kernel.log.warn({ code: (err as Error).name }, 'whois query failed');
        socket.end('Error: the query could not be answered.\r\n');
      });
    });
  }

  /** The answer to a query from `ip`, or the refusal when the address is over its limit. */
  private async allowedAnswer(ip: string, query: string): Promise<string> {
    const { totalHits } = await this.limit.store.increment(ip);
    return totalHits > this.limit.max ? 'Error: too many queries; try again later.\r\n' : this.answer(query);
  }

  /** The answer to one query line. */
  async answer(query: string): Promise<string> {
    const raw = query.trim();
    // eslint-disable-next-line no-control-regex
    const name = raw && !/[\s\u0000-\u001f\u007f]/.test(raw) ? ldhName(raw) : undefined;
    if (!name) return 'Error: malformed query; send one domain name.\r\n';
    const found = await findRegistration(this.kernel, name);
    return found ? whoisAnswer(found.view) : noMatch(name);
  }
}
