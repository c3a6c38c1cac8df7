/**
 * An EPP session: connect, read the greeting, log in (objURI/extURI as the greeting offers), run commands one at a
 * time on the one connection, keep it alive with <hello> when idle, and reconnect (re-login) after a drop with
 * bounded retries. Frames are never logged: they carry personal data.
 */
import { EppConnection, TransportError, type TlsEndpoint } from './connection';
import { helloFrame, loginFrame, logoutFrame } from './session-frames';
import { parseGreeting, parseResponse, type EppResponse, type Greeting } from './epp-response';
import { WANTED_EXTENSIONS, WANTED_OBJECTS } from './epp-namespaces';
import { closesSession, EppFailure, errorForResult, registrarError } from './result-codes';
import { makeClTRID } from './cltrid';

/** The minimal logger the session writes events (never frames) to. */
export interface SessionLog { info(o: object, msg: string): void; warn(o: object, msg: string): void; debug(o: object, msg: string): void }

/** Session options. */
export interface SessionOptions extends TlsEndpoint {
  clID: string;
  password: string;
  lang: string;
  /** Idle time before a <hello> keep-alive; 0 disables it. */
  keepAliveMs: number;
  commandTimeoutMs: number;
  /** Extra attempts after a dropped connection or failed connect (bounded). */
  maxRetries: number;
  retryDelayMs: number;
  clTRIDPrefix: string;
  log?: SessionLog;
}

const quiet: SessionLog = { info() {}, warn() {}, debug() {} };

export class EppSession {
  private conn: EppConnection | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private idle: NodeJS.Timeout | null = null;
  private closing = false;
  /** The last greeting received (at connect or from a hello). */
  greeting?: Greeting;
  /** How many times a connection was opened (and logged in). */
  connects = 0;

  constructor(private readonly opts: SessionOptions) {}

  private get log(): SessionLog {
    return this.opts.log ?? quiet;
  }

  /** Runs one command frame (built with its clTRID) on the session, serialised after earlier commands. */
  command(frame: (clTRID: string) => string, clTRID: string): Promise<EppResponse> {
    return this.enqueue(() => this.run(frame(clTRID)));
  }

  /** Sends a <hello> now (the keep-alive); answers the greeting. */
  hello(): Promise<Greeting> {
    return this.enqueue(async () => {
      const conn = await this.connected();
      this.greeting = parseGreeting(await conn.request(helloFrame(), this.opts.commandTimeoutMs));
      return this.greeting;
    });
  }

  /** Logs out and closes the connection (a later command opens a new session). */
  close(): Promise<void> {
    this.closing = true;
    this.clearIdle();
    return this.enqueue(async () => {
      const conn = this.conn;
      this.conn = null;
      if (conn && !conn.closed) {
        try { await conn.request(logoutFrame(makeClTRID(this.opts.clTRIDPrefix, undefined, 'logout')), this.opts.commandTimeoutMs); } catch { /* closing anyway */ }
        conn.destroy();
      }
    }).finally(() => { this.closing = false; });
  }

  /** Whether a connection is open and logged in. */
  get isOpen(): boolean {
    return Boolean(this.conn && !this.conn.closed);
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.then(() => this.armIdle(), () => this.armIdle());
    return run;
  }

  private async run(xml: string): Promise<EppResponse> {
    let lastError: Error | null = null;
    for (let attempt = 0; attempt <= this.opts.maxRetries; attempt += 1) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.opts.retryDelayMs * attempt));
      try {
        const conn = await this.connected();
        const res = parseResponse(await conn.request(xml, this.opts.commandTimeoutMs));
        if (closesSession(res.code)) this.drop();
        return res;
      } catch (err) {
        if (!(err instanceof TransportError)) throw err instanceof EppFailure ? err : new EppFailure(registrarError('REGISTRAR_BAD_RESPONSE', `The registry sent an answer that could not be read: ${(err as Error).message}`, false));
        this.drop();
        if (err.tlsRefused) throw new EppFailure(registrarError('REGISTRAR_TLS_REFUSED', `The TLS handshake with the registry failed (check the client certificate, key and CA): ${err.message}`, false));
        lastError = err;
        this.log.warn({ host: this.opts.host, attempt: attempt + 1, reason: err.message }, 'epp: connection lost, reconnecting');
      }
    }
    throw new EppFailure(registrarError('REGISTRAR_UNREACHABLE', `The registry could not be reached after ${this.opts.maxRetries + 1} attempts: ${lastError?.message ?? 'unknown'}`, true));
  }

  private async connected(): Promise<EppConnection> {
    if (this.conn && !this.conn.closed) return this.conn;
    this.conn = null;
    const conn = await EppConnection.open(this.opts);
    try {
      const first = await conn.read(this.opts.commandTimeoutMs).catch((e: Error) => {
        if (e instanceof TransportError && !e.tlsRefused) throw new TransportError(`${e.message} before its greeting (was the client certificate refused?)`);
        throw e;
      });
      this.greeting = parseGreeting(first);
      const objURIs = WANTED_OBJECTS.filter((u) => this.greeting!.objURIs.includes(u));
      const extURIs = WANTED_EXTENSIONS.filter((u) => this.greeting!.extURIs.includes(u));
      const frame = loginFrame({ clID: this.opts.clID, password: this.opts.password, lang: this.greeting.langs.includes(this.opts.lang) ? this.opts.lang : (this.greeting.langs[0] ?? 'en'), objURIs: objURIs.length ? objURIs : this.greeting.objURIs.slice(0, 1), extURIs }, makeClTRID(this.opts.clTRIDPrefix, undefined, 'login'));
      const res = parseResponse(await conn.request(frame, this.opts.commandTimeoutMs));
      if (res.code !== 1000) {
        const mapped = errorForResult(res.code, res.message);
        throw new EppFailure({ ...mapped, code: 'REGISTRAR_LOGIN_FAILED', message: `The registry refused the login for ${this.opts.clID}: ${mapped.message}` });
      }
    } catch (err) {
      conn.destroy();
      if (err instanceof TransportError || err instanceof EppFailure) throw err;
      throw new EppFailure(registrarError('REGISTRAR_BAD_RESPONSE', `The registry's greeting or login answer could not be read: ${(err as Error).message}`, false));
    }
    this.connects += 1;
    this.conn = conn;
    this.log.info({ host: this.opts.host, svID: this.greeting?.svID, connects: this.connects }, 'epp: session open');
    return conn;
  }

  private drop(): void {
    this.conn?.destroy();
    this.conn = null;
  }

  private clearIdle(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
  }

  private armIdle(): void {
    this.clearIdle();
    if (!this.opts.keepAliveMs || this.closing || !this.isOpen) return;
    this.idle = setTimeout(() => {
      this.idle = null;
      this.hello().catch((e: Error) => { this.drop(); this.log.debug({ reason: e.message }, 'epp: keep-alive failed; the next command reconnects'); });
    }, this.opts.keepAliveMs);
    this.idle.unref?.();
  }
}
