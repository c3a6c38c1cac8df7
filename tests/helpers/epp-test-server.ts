/**
 * A local EPP server for tests: node:tls with a self-signed server certificate and a client CA (requestCert and
 * rejectUnauthorized, so the client certificate is really checked), RFC 5734 framing, a greeting, login/logout/hello,
 * and an in-memory registry answering with real result codes. Every frame a client sends is validated with xmllint.
 * It can be told to answer a code, drop the connection on the next command, or drop every connection now.
 */
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { encodeFrame, FrameDecoder } from '../../modules/registrars/epp/framing';
import { testPki, type TestPki } from './epp-test-pki';
import { validateEppFrame } from './epp-frame-validator';
import { parseFrame, TestRegistry } from './epp-test-registry';
import type { EppRegistrarOptions } from '../../modules/registrars/epp';

type X = Record<string, unknown>;

/** Server options. */
export interface EppTestServerOptions { clID?: string; password?: string; thin?: boolean }

export class EppTestServer {
  readonly registry: TestRegistry;
  readonly pki: TestPki;
  readonly clID: string;
  readonly password: string;
  /** Frames that failed schema validation (the xmllint message, never the frame). */
  readonly invalidFrames: string[] = [];
  /** Every command received: its verb (login, hello, domain:create, …) and clTRID. */
  readonly received: { verb: string; clTRID?: string }[] = [];
  readonly stats = { connections: 0, logins: 0, logouts: 0, hellos: 0, frames: 0, tlsRejected: 0 };
  private server!: tls.Server;
  private readonly sockets = new Set<tls.TLSSocket>();
  private scripted: ({ kind: 'code'; code: number } | { kind: 'drop' })[] = [];
  port = 0;

  constructor(opts: EppTestServerOptions = {}) {
    this.pki = testPki();
    this.clID = opts.clID ?? 'registrar-1';
    this.password = opts.password ?? 'S3cret-pw';
    this.registry = new TestRegistry(opts.thin);
  }

  /** Starts listening on 127.0.0.1 (a random port, or `port` to come back where it was after stop()). */
  async start(port = 0): Promise<this> {
    this.server = tls.createServer({ key: this.pki.serverKey, cert: this.pki.serverCert, ca: this.pki.clientCa, requestCert: true, rejectUnauthorized: true }, (s) => this.onConnection(s));
    this.server.on('tlsClientError', () => { this.stats.tlsRejected += 1; });
    await new Promise<void>((resolve, reject) => { this.server.once('error', reject); this.server.listen(port, '127.0.0.1', resolve); });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Registrar options pointing at this server with the valid client certificate (override any part). */
  clientOptions(over: Partial<EppRegistrarOptions> = {}): EppRegistrarOptions {
    return {
      host: '127.0.0.1', port: this.port, servername: 'localhost', ca: this.pki.serverCert, cert: this.pki.clientCert, key: this.pki.clientKey,
      clID: this.clID, password: this.password, lang: 'en', keepAliveMs: 0, commandTimeoutMs: 5000, connectTimeoutMs: 5000,
      maxRetries: 2, retryDelayMs: 20, clTRIDPrefix: 'test', ...over,
    };
  }

  /** The next `times` object commands are answered with `code` (e.g. 2400). */
  failNext(code: number, times = 1): void {
    for (let i = 0; i < times; i += 1) this.scripted.push({ kind: 'code', code });
  }

  /** The next `times` object commands make the server drop the connection without answering. */
  dropNext(times = 1): void {
    for (let i = 0; i < times; i += 1) this.scripted.push({ kind: 'drop' });
  }

  /** Drops every open connection now. */
  dropAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  /** Verbs received, in order (without login/hello/logout unless asked). */
  verbs(all = false): string[] {
    return this.received.map((r) => r.verb).filter((v) => all || !['login', 'logout', 'hello'].includes(v));
  }

  /** Stops the server and closes its connections. */
  async stop(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onConnection(socket: tls.TLSSocket): void {
    this.stats.connections += 1;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const decoder = new FrameDecoder();
    let session: { clID?: string } = {};
    let chain = Promise.resolve();
    const send = (xml: string) => { if (!socket.destroyed) socket.write(encodeFrame(xml)); };
    send(this.registry.greeting());
    socket.on('data', (chunk: Buffer) => {
      let frames: string[];
      try { frames = decoder.push(chunk); } catch { socket.destroy(); return; }
      for (const f of frames) chain = chain.then(() => this.onFrame(f, session, send, socket, (s) => { session = s; }));
    });
  }

  private async onFrame(xml: string, session: { clID?: string }, send: (xml: string) => void, socket: tls.TLSSocket, setSession: (s: { clID?: string }) => void): Promise<void> {
    this.stats.frames += 1;
    const invalid = await validateEppFrame(xml);
    if (invalid) this.invalidFrames.push(invalid);
    const doc = parseFrame(xml);
    const epp = (doc.epp ?? {}) as X;
    if (epp.hello !== undefined) {
      this.stats.hellos += 1;
      this.received.push({ verb: 'hello' });
      send(this.registry.greeting());
      return;
    }
    const cmd = (epp.command ?? {}) as X;
    const clTRID = typeof cmd.clTRID === 'string' ? cmd.clTRID : undefined;
    if (cmd.login !== undefined) {
      this.received.push({ verb: 'login', clTRID });
      const login = cmd.login as X;
      if (login.clID !== this.clID || login.pw !== this.password) { send(this.registry.response(2200, 'Authentication error', clTRID)); return; }
      this.stats.logins += 1;
      setSession({ clID: this.clID });
      send(this.registry.response(1000, 'Command completed successfully', clTRID));
      return;
    }
    if (cmd.logout !== undefined) {
      this.received.push({ verb: 'logout', clTRID });
      this.stats.logouts += 1;
      send(this.registry.response(1500, 'Command completed successfully; ending session', clTRID));
      socket.end();
      return;
    }
    const verb = Object.keys(cmd).find((k) => !['clTRID', 'extension'].includes(k)) ?? '?';
    const inner = Object.keys((cmd[verb] ?? {}) as X).find((k) => k.includes(':'));
    this.received.push({ verb: inner ?? verb, clTRID });
    if (!session.clID) { send(this.registry.response(2002, 'Command use error', clTRID)); return; }
    const script = this.scripted.shift();
    if (script?.kind === 'drop') { socket.destroy(); return; }
    if (script?.kind === 'code') { send(this.registry.response(script.code, script.code === 2400 ? 'Command failed' : 'Scripted failure', clTRID)); return; }
    send(this.registry.handle(cmd, session.clID, clTRID));
  }
}

/** Starts a test EPP server. */
export function startEppTestServer(opts?: EppTestServerOptions): Promise<EppTestServer> {
  return new EppTestServer(opts).start();
}
