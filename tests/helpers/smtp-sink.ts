/** A real SMTP server (smtp-server) on 127.0.0.1 for tests: records every message; can be stopped and restarted on its port. */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { parseMail, type ParsedMail } from './mime';

/** One received message: envelope and decoded content. */
export interface ReceivedMail extends ParsedMail { envelopeFrom: string; envelopeTo: string[]; user?: string }

/** The sink; `auth` requires these credentials (over plain SMTP, loopback only). */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  port = 0;
  private server: SMTPServer | null = null;

  constructor(private readonly opts: { auth?: { user: string; pass: string }; rejectRcpt?: (address: string) => boolean } = {}) {}

  /** smtp://[user:pass@]127.0.0.1:<port> */
  get url(): string {
    const auth = this.opts.auth ? `${encodeURIComponent(this.opts.auth.user)}:${encodeURIComponent(this.opts.auth.pass)}@` : '';
    return `smtp://${auth}127.0.0.1:${this.port}`;
  }

  /** Listens on the previous port when restarted (0 the first time). */
  async start(): Promise<void> {
    const { auth, rejectRcpt } = this.opts;
    const options: SMTPServerOptions = {
      disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'], allowInsecureAuth: true, authOptional: !auth, logger: false,
      onAuth: (a, _session, cb) => (auth && a.username === auth.user && a.password === auth.pass ? cb(null, { user: a.username }) : cb(new Error('bad credentials'))),
      onRcptTo: (address, _session, cb) => (rejectRcpt?.(address.address) ? cb(Object.assign(new Error(`550 mailbox ${address.address} unavailable`), { responseCode: 550 })) : cb()),
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const mail = parseMail(Buffer.concat(chunks).toString('utf8'));
          this.received.push({
            ...mail, envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address), user: typeof session.user === 'string' ? session.user : undefined,
          });
          cb();
        });
      },
    };
    const server = new SMTPServer(options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Whether the server is listening. */
  get running(): boolean {
    return this.server !== null;
  }

  /** Stops listening (connections refused until `start` again). */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Messages sent to an address. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.envelopeTo.includes(address));
  }
}
