/** One TLS connection to an EPP server (RFC 5734): client certificate, length-prefixed frames, one reader queue. */
import tls from 'node:tls';
import { encodeFrame, FrameDecoder } from './framing';

/** Where and how to connect. PEM strings (already read from paths by the settings loader). */
export interface TlsEndpoint {
  host: string;
  port: number;
  servername?: string;
  cert?: string;
  key?: string;
  /** Trusted CA(s) for the server certificate; the system store when absent. */
  ca?: string;
  connectTimeoutMs: number;
}

/** A transport failure (connection refused, dropped, timed out, TLS refused): the session may reconnect. */
export class TransportError extends Error {
  constructor(message: string, readonly tlsRefused = false) {
    super(message);
    this.name = 'TransportError';
  }
}

function describe(err: NodeJS.ErrnoException): TransportError {
  const code = err.code ?? '';
  const tlsRefused = /SSL|TLS|CERT|ALERT/.test(code) || /alert|certificate|handshake/i.test(err.message);
  return new TransportError(`${code || 'error'}: ${err.message}`, tlsRefused);
}

export class EppConnection {
  private readonly decoder = new FrameDecoder();
  private readonly frames: string[] = [];
  private readonly waiters: { resolve: (xml: string) => void; reject: (e: Error) => void; timer?: NodeJS.Timeout }[] = [];
  private failure: TransportError | null = null;

  private constructor(private readonly socket: tls.TLSSocket) {
    // An idle session must not keep the process alive: the socket holds a reference only while an answer is awaited.
    socket.unref();
    socket.on('data', (chunk: Buffer) => {
      let got: string[];
      try { got = this.decoder.push(chunk); } catch (e) { this.fail(new TransportError((e as Error).message)); return; }
      for (const f of got) {
        const w = this.waiters.shift();
        if (w) { if (w.timer) clearTimeout(w.timer); w.resolve(f); } else this.frames.push(f);
      }
      if (!this.waiters.length) socket.unref();
    });
    socket.on('error', (e) => this.fail(describe(e)));
    socket.on('close', () => this.fail(new TransportError('the EPP server closed the connection')));
  }

  /** Opens the TLS connection (server certificate checked; client certificate presented). */
  static open(ep: TlsEndpoint): Promise<EppConnection> {
    return new Promise((resolve, reject) => {
      const socket = tls.connect({
        host: ep.host, port: ep.port, servername: ep.servername ?? (/^[\d.:]+$/.test(ep.host) ? undefined : ep.host),
        cert: ep.cert, key: ep.key, ca: ep.ca, rejectUnauthorized: true, minVersion: 'TLSv1.2',
      });
      const timer = setTimeout(() => { socket.destroy(); reject(new TransportError(`connection to ${ep.host}:${ep.port} timed out`)); }, ep.connectTimeoutMs);
      const onError = (e: Error) => { clearTimeout(timer); reject(describe(e)); };
      socket.once('error', onError);
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(new EppConnection(socket));
      });
    });
  }

  /** Whether the connection is gone. */
  get closed(): boolean {
    return this.failure !== null;
  }

  /** Waits for the next frame from the server. */
  read(timeoutMs: number): Promise<string> {
    const queued = this.frames.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const w: (typeof this.waiters)[number] = { resolve, reject };
      w.timer = setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        this.fail(new TransportError(`no answer from the EPP server within ${timeoutMs} ms`));
        reject(new TransportError(`no answer from the EPP server within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(w);
      this.socket.ref();
    });
  }

  /** Sends one frame and waits for the answer. */
  async request(xml: string, timeoutMs: number): Promise<string> {
    if (this.failure) throw this.failure;
    const answer = this.read(timeoutMs);
    this.socket.write(encodeFrame(xml));
    return answer;
  }

  /** Closes the connection. */
  destroy(): void {
    this.fail(new TransportError('the connection was closed by the client'));
  }

  private fail(err: TransportError): void {
    if (!this.failure) this.failure = err;
    for (const w of this.waiters.splice(0)) { if (w.timer) clearTimeout(w.timer); w.reject(this.failure); }
    this.socket.unref();
    if (!this.socket.destroyed) this.socket.destroy();
  }
}
