/**
 * A local plain-HTTP stand-in for PayPal's REST API (OAuth, Orders v2, captures and refunds, vault token deletes, the
 * webhook signing certificate), speaking its wire format (snake_case JSON, amounts as strings, errors `{name, message,
 * debug_id, details[]}`) and recording every request. The real SDK reaches it through `agent()`: an https.Agent whose
 * connections are plain TCP to the stand-in's port. PayPal-Request-Id replays the first success answer of a write.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

/** One request as the stand-in saw it (header names lower case; JSON bodies parsed). */
export interface PaypalRequest { method: string; path: string; headers: Record<string, string>; body: unknown; status: number }

type Json = Record<string, unknown>;

interface StandinOrder {
  id: string; requestBody: Json; cents: number; currency: string; status: 'PAYER_ACTION_REQUIRED' | 'APPROVED' | 'COMPLETED';
  payer?: { given: string; surname: string; email: string; payerId: string }; declined?: 'instrument' | 'capture'; vaultId?: string; captureId?: string;
}

interface StandinCapture { id: string; orderId: string; cents: number; currency: string; status: string; refundedCents: number; invoiceId?: string; customId?: string }

/** What `approve` says the payer did on PayPal's page (`vault`: they agreed to save the wallet, which the order must have asked for). */
export interface ApproveOptions { payer: { name: { given: string; surname: string }; email: string; payerId?: string }; declined?: boolean | 'instrument' | 'capture'; vault?: boolean }

/** The certificate's path at PayPal (served by the stand-in at the same path). */
export const CERT_PATH = '/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77';

let pki: { key: string; cert: string } | null = null;

/** An RSA key and a self-signed certificate for signing webhooks, made once per test process with the openssl CLI. */
function signingPki(): { key: string; cert: string } {
  if (pki) return pki;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psuite-paypal-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '2', '-subj', '/CN=messageverificationcerts.sandbox.paypal.com'], { cwd: dir, stdio: 'pipe' });
  pki = { key: fs.readFileSync(path.join(dir, 'k.pem'), 'utf8'), cert: fs.readFileSync(path.join(dir, 'c.pem'), 'utf8') };
  fs.rmSync(dir, { recursive: true, force: true });
  return pki;
}

const money = (cents: number, currency: string): Json => ({ currency_code: currency, value: (cents / 100).toFixed(2) });
const cents = (value: unknown): number => Math.round(Number(value) * 100);
const rid = (prefix: string): string => `${prefix}${crypto.randomBytes(8).toString('hex').toUpperCase()}`;

/** An https.Agent whose every connection is a plain TCP socket to the stand-in (TLS is not spoken locally). */
class StandinAgent extends https.Agent {
  constructor(private readonly port: number) { super({ keepAlive: false }); }
  override createConnection(): net.Socket {
    return net.connect(this.port, '127.0.0.1');
  }
}

export class PaypalStandin {
  readonly clientId = 'standin-client-id';
  readonly clientSecret = 'standin-client-secret';
  /** The id of the registered webhook (what PayPal signs with). */
  webhookId = 'WH-STANDIN-8PT597110X687430';
  readonly requests: PaypalRequest[] = [];
  readonly orders = new Map<string, StandinOrder>();
  readonly captures = new Map<string, StandinCapture>();
  readonly vaultTokens = new Set<string>();
  /** Vault tokens deleted, in order (a token deleted twice appears once: the second answer is 404). */
  readonly deletedTokens: string[] = [];
  /** Access tokens issued (tests grep logs for them). */
  readonly issuedTokens: string[] = [];
  /** While true every request's connection is dropped (PayPal unreachable). */
  down = false;
  private failures: number[] = [];
  private readonly replays = new Map<string, { status: number; answer: Json }>();
  private readonly key: crypto.KeyObject;
  readonly certPem: string;

  private constructor(private readonly server: http.Server, readonly port: number) {
    const { key, cert } = signingPki();
    this.key = crypto.createPrivateKey(key);
    this.certPem = cert;
  }

  static async start(): Promise<PaypalStandin> {
    let self: PaypalStandin | null = null;
    const server = http.createServer((req, res) => { self!.handle(req, res); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    self = new PaypalStandin(server, (server.address() as net.AddressInfo).port);
    return self;
  }

  /** The agent to hand the module (`setPaypalTransport`). */
  agent(): https.Agent {
    return new StandinAgent(this.port);
  }

  /** The environment the module reads its credentials from. */
  env(): Record<string, string> {
    return { SUITE_PAYPAL_CLIENT_ID: this.clientId, SUITE_PAYPAL_CLIENT_SECRET: this.clientSecret };
  }

  /** The next `n` API calls (not the OAuth token call) answer `status` with PayPal's error body, doing nothing. */
  failNext(n: number, status = 500): void {
    for (let i = 0; i < n; i++) this.failures.push(status);
  }

  /** Requests to a path (method and a prefix or pattern). */
  calls(method: string, pathLike: string | RegExp): PaypalRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof pathLike === 'string' ? r.path.startsWith(pathLike) : pathLike.test(r.path)));
  }

  /** The payer approves the order on PayPal's page (optionally with a card that will be declined, or vaulting the wallet). */
  approve(orderId: string, opts: ApproveOptions): void {
    const o = this.orders.get(orderId);
    if (!o) throw new Error(`stand-in: no order ${orderId}`);
    o.status = 'APPROVED';
    o.payer = { given: opts.payer.name.given, surname: opts.payer.name.surname, email: opts.payer.email, payerId: opts.payer.payerId ?? rid('PAYER') };
    o.declined = opts.declined === true ? 'instrument' : opts.declined || undefined;
    if (opts.vault) {
      const asked = (((o.requestBody.payment_source as Json | undefined)?.paypal as Json | undefined)?.attributes as { vault?: Json } | undefined)?.vault;
      if (asked?.store_in_vault !== 'ON_SUCCESS') throw new Error(`stand-in: order ${orderId} did not ask to vault the wallet`);
      o.vaultId = rid('VT');
      this.vaultTokens.add(o.vaultId);
    }
  }

  /** The order id a payer-action URL names. */
  orderOfUrl(url: string): string {
    return new URL(url).searchParams.get('token')!;
  }

  /**
   * A webhook as PayPal sends it: the body and the headers signed with the stand-in's key (the certificate it serves
   * at CERT_PATH). `tamper` changes the body after signing; `time` and `certUrl` set those headers.
   */
  event(type: string, resource: Json, opts: { id?: string; time?: Date; certUrl?: string; webhookId?: string; tamper?: boolean } = {}): { body: string; headers: Record<string, string> } {
    const id = opts.id ?? rid('WH-');
    const signedBody = JSON.stringify({ id, event_version: '1.0', create_time: new Date().toISOString(), resource_type: type.split('.')[1]?.toLowerCase() ?? 'unknown', event_type: type, summary: type, resource, links: [] });
    const transmissionId = crypto.randomUUID();
    const time = (opts.time ?? new Date()).toISOString();
    const signed = `${transmissionId}|${time}|${opts.webhookId ?? this.webhookId}|${zlib.crc32(Buffer.from(signedBody))}`;
    const sig = crypto.sign('sha256', Buffer.from(signed), this.key).toString('base64');
    return {
      body: opts.tamper ? signedBody.replace(/"summary":"[^"]*"/, '"summary":"tampered"') : signedBody,
      headers: {
        'content-type': 'application/json', 'paypal-transmission-id': transmissionId, 'paypal-transmission-time': time, 'paypal-transmission-sig': sig,
        'paypal-cert-url': opts.certUrl ?? `https://api.sandbox.paypal.com${CERT_PATH}`, 'paypal-auth-algo': 'SHA256withRSA', 'paypal-auth-version': 'v2',
      },
    };
  }

  /** A capture's resource as PAYMENT.CAPTURE.* events carry it. */
  captureResource(captureId: string): Json {
    const c = this.captures.get(captureId)!;
    return this.captureJson(c);
  }

  /** A refund resource (PAYMENT.CAPTURE.REFUNDED) for `refundCents` of a capture, with the capture's refunded total. */
  refundResource(captureId: string, refundCents: number, totalRefundedCents: number): Json {
    const c = this.captures.get(captureId)!;
    return {
      id: rid('RF'), status: 'COMPLETED', amount: money(refundCents, c.currency),
      seller_payable_breakdown: { total_refunded_amount: money(totalRefundedCents, c.currency) },
      links: [{ href: `https://api.sandbox.paypal.com/v2/payments/captures/${c.id}`, rel: 'up', method: 'GET' }],
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]));
      let body: unknown = raw;
      if ((headers['content-type'] ?? '').includes('json') && raw) {
        try { body = JSON.parse(raw); } catch { body = raw; }
      }
      const rec: PaypalRequest = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0], headers, body, status: 0 };
      this.requests.push(rec);
      if (this.down) {
        rec.status = -1;
        req.socket.destroy();
        return;
      }
      const { status, answer } = this.route(rec);
      rec.status = status;
      if (typeof answer === 'string') {
        res.writeHead(status, { 'content-type': 'application/x-pem-file' }).end(answer);
      } else if (answer === null) {
        res.writeHead(status).end();
      } else {
        res.writeHead(status, { 'content-type': 'application/json', 'paypal-debug-id': rid('') }).end(JSON.stringify(answer));
      }
    });
  }

  private error(status: number, name: string, issue?: string): { status: number; answer: Json } {
    return { status, answer: { name, message: `${name} (stand-in)`, debug_id: rid('').toLowerCase(), details: issue ? [{ issue, description: issue }] : [], links: [] } };
  }

  private route(r: PaypalRequest): { status: number; answer: Json | string | null } {
    if (r.method === 'GET' && r.path === CERT_PATH) return { status: 200, answer: this.certPem };
    if (r.method === 'POST' && r.path === '/v1/oauth2/token') return this.token(r);
    const bearer = /^Bearer (.+)$/.exec(r.headers.authorization ?? '')?.[1];
    if (!bearer || !this.issuedTokens.includes(bearer)) return { status: 401, answer: { error: 'invalid_token', error_description: 'Token signature verification failed' } };
    const failure = this.failures.shift();
    if (failure !== undefined) return this.error(failure, failure >= 500 ? 'INTERNAL_SERVER_ERROR' : 'UNPROCESSABLE_ENTITY');
    const requestId = r.headers['paypal-request-id'];
    const replayKey = requestId ? `${r.method} ${r.path} ${requestId}` : null;
    const replay = replayKey ? this.replays.get(replayKey) : undefined;
    if (replay) return replay;
    const out = this.api(r);
    if (replayKey && out.status >= 200 && out.status < 300 && out.answer && typeof out.answer === 'object') this.replays.set(replayKey, { status: out.status, answer: out.answer });
    return out;
  }

  private token(r: PaypalRequest): { status: number; answer: Json } {
    const basic = Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64');
    if (r.headers.authorization !== `Basic ${basic}` || !String(r.body).includes('grant_type=client_credentials')) return { status: 401, answer: { error: 'invalid_client', error_description: 'Client Authentication failed' } };
    const token = `A21AA${crypto.randomBytes(24).toString('hex')}`;
    this.issuedTokens.push(token);
    return { status: 200, answer: { scope: 'https://uri.paypal.com/services/payments/payment', access_token: token, token_type: 'Bearer', app_id: 'APP-STANDIN', expires_in: 32400, nonce: rid('') } };
  }

  private api(r: PaypalRequest): { status: number; answer: Json | null } {
    let m: RegExpExecArray | null;
    if (r.method === 'POST' && r.path === '/v2/checkout/orders') return this.createOrder(r.body as Json);
    if (r.method === 'GET' && (m = /^\/v2\/checkout\/orders\/([^/]+)$/.exec(r.path))) {
      const o = this.orders.get(m[1]);
      return o ? { status: 200, answer: this.orderJson(o) } : this.error(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID');
    }
    if (r.method === 'POST' && (m = /^\/v2\/checkout\/orders\/([^/]+)\/capture$/.exec(r.path))) return this.capture(m[1]);
    if (r.method === 'POST' && (m = /^\/v2\/payments\/captures\/([^/]+)\/refund$/.exec(r.path))) return this.refund(m[1], (r.body && typeof r.body === 'object' ? r.body : {}) as Json);
    if (r.method === 'DELETE' && (m = /^\/v3\/vault\/payment-tokens\/([^/]+)$/.exec(r.path))) {
      if (!this.vaultTokens.delete(m[1])) return this.error(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID');
      this.deletedTokens.push(m[1]);
      return { status: 204, answer: null };
    }
    return this.error(404, 'NOT_FOUND');
  }

  private createOrder(body: Json): { status: number; answer: Json } {
    const unit = (body.purchase_units as Json[] | undefined)?.[0];
    const amount = unit?.amount as Json | undefined;
    if (body.intent !== 'CAPTURE' || !amount?.value || !amount.currency_code) return this.error(400, 'INVALID_REQUEST', 'MISSING_REQUIRED_PARAMETER');
    const o: StandinOrder = { id: rid('5O'), requestBody: body, cents: cents(amount.value), currency: String(amount.currency_code), status: 'PAYER_ACTION_REQUIRED' };
    this.orders.set(o.id, o);
    return {
      status: 201,
      answer: { id: o.id, status: o.status, links: [
        { href: `https://api.sandbox.paypal.com/v2/checkout/orders/${o.id}`, rel: 'self', method: 'GET' },
        { href: `https://www.sandbox.paypal.com/checkoutnow?token=${o.id}`, rel: 'payer-action', method: 'GET' },
      ] },
    };
  }

  private capture(orderId: string): { status: number; answer: Json } {
    const o = this.orders.get(orderId);
    if (!o) return this.error(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID');
    if (o.status === 'COMPLETED') return this.error(422, 'UNPROCESSABLE_ENTITY', 'ORDER_ALREADY_CAPTURED');
    if (o.status !== 'APPROVED') return this.error(422, 'UNPROCESSABLE_ENTITY', 'ORDER_NOT_APPROVED');
    if (o.declined === 'instrument') return this.error(422, 'UNPROCESSABLE_ENTITY', 'INSTRUMENT_DECLINED');
    const unit = (o.requestBody.purchase_units as Json[])[0];
    const c: StandinCapture = {
      id: rid('3C'), orderId, cents: o.cents, currency: o.currency, status: o.declined === 'capture' ? 'DECLINED' : 'COMPLETED', refundedCents: 0,
      invoiceId: unit.invoice_id as string | undefined, customId: unit.custom_id as string | undefined,
    };
    this.captures.set(c.id, c);
    o.captureId = c.id;
    o.status = 'COMPLETED';
    return { status: 201, answer: this.orderJson(o) };
  }

  private refund(captureId: string, body: Json): { status: number; answer: Json } {
    const c = this.captures.get(captureId);
    if (!c) return this.error(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID');
    const left = c.cents - c.refundedCents;
    const amount = body.amount as Json | undefined;
    const want = amount ? cents(amount.value) : left;
    if (left <= 0) return this.error(422, 'UNPROCESSABLE_ENTITY', 'CAPTURE_FULLY_REFUNDED');
    if (want > left) return this.error(422, 'UNPROCESSABLE_ENTITY', 'REFUND_AMOUNT_EXCEEDED');
    c.refundedCents += want;
    c.status = c.refundedCents === c.cents ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    return { status: 201, answer: this.refundResource(captureId, want, c.refundedCents) };
  }

  private captureJson(c: StandinCapture): Json {
    return {
      id: c.id, status: c.status, amount: money(c.cents, c.currency), final_capture: true, invoice_id: c.invoiceId, custom_id: c.customId,
      seller_protection: { status: 'ELIGIBLE', dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'] },
      supplementary_data: { related_ids: { order_id: c.orderId } },
      links: [{ href: `https://api.sandbox.paypal.com/v2/payments/captures/${c.id}`, rel: 'self', method: 'GET' }],
      create_time: new Date().toISOString(), update_time: new Date().toISOString(),
    };
  }

  private orderJson(o: StandinOrder): Json {
    const unit = (o.requestBody.purchase_units as Json[])[0];
    const c = o.captureId ? this.captures.get(o.captureId) : undefined;
    const p = o.payer;
    return {
      id: o.id, status: o.status, intent: 'CAPTURE',
      ...(p ? {
        payment_source: { paypal: {
          email_address: p.email, account_id: p.payerId, account_status: 'VERIFIED', name: { given_name: p.given, surname: p.surname },
          ...(o.vaultId ? { attributes: { vault: { id: o.vaultId, status: 'VAULTED', customer: { id: rid('CUS') } } } } : {}),
        } },
        payer: { name: { given_name: p.given, surname: p.surname }, email_address: p.email, payer_id: p.payerId },
      } : {}),
      purchase_units: [{
        reference_id: unit.reference_id, amount: unit.amount, invoice_id: unit.invoice_id, custom_id: unit.custom_id,
        ...(c ? { payments: { captures: [this.captureJson(c)] } } : {}),
      }],
      links: [{ href: `https://api.sandbox.paypal.com/v2/checkout/orders/${o.id}`, rel: 'self', method: 'GET' }],
    };
  }
}
