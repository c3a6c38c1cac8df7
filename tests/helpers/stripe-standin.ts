/**
 * A stand-in for Stripe's API on 127.0.0.1, speaking its wire format to the real SDK: form-encoded bodies with bracket
 * keys (`line_items[0][price_data][currency]=eur`), `Authorization: Bearer <secret key>`, JSON answers, errors as
 * `{"error":{"type","message","code"}}`. It records every request (method, path, query, Idempotency-Key, parsed body)
 * and keeps Checkout Sessions, PaymentIntents, PaymentMethods, charges, refunds and customers in memory. Implemented:
 * POST/GET /v1/checkout/sessions[/:id], POST /v1/refunds, GET/POST/DELETE /v1/customers/:id and
 * POST /v1/payment_methods/:id/detach.
 *
 * Stripe semantics copied here (from Stripe's public API reference; no Stripe code):
 * - Idempotency on POST: the same key with the same parameters answers the first answer again (header
 *   `Idempotent-Replayed: true`); the same key with other parameters is a 400 `idempotency_error`. A request refused
 *   before it ran (`failNext`'s default) stores nothing, so a retry with its key runs.
 * - A Checkout Session is `open` / `unpaid` until the customer pays on Stripe's page (`completeSession` plays that):
 *   then `complete` / `paid`, with `customer_details`, a PaymentIntent (its PaymentMethod carries the card's brand,
 *   last four and expiry) and a Customer when `customer_creation` was `always`. A declined card leaves the session
 *   open and the PaymentIntent `requires_payment_method` with `last_payment_error`.
 * - `customer` and `customer_creation` together are refused, as Stripe does.
 * - A deleted customer answers 404 `resource_missing`; refunds beyond what is left answer 400; detaching a payment
 *   method that is not attached answers 400 `payment_method_unexpected_state`.
 * - `expand[]` on GET /v1/checkout/sessions/:id expands `payment_intent` and `payment_intent.payment_method`.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

type Obj = Record<string, unknown>;

/** One recorded request; `status` is what the stand-in answered (0: the connection was refused). */
export interface StripeRequest { method: string; path: string; query: Obj; idempotencyKey: string | null; body: Obj; status: number; replayed: boolean }

/** A card as the customer types it on Stripe's page (the suite never sees it; only brand, last four and expiry come back). */
export interface StandinCard { brand: string; last4: string; exp_month: number; exp_year: number }

/** Parses a form body with bracket keys into nested objects; objects whose keys are all indexes become arrays. */
export function parseForm(raw: string): Obj {
  const root: Obj = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const m = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(key);
    if (!m) continue;
    const path = [m[1], ...[...m[2].matchAll(/\[([^\]]*)\]/g)].map((x) => x[1])];
    let node = root;
    path.forEach((part, i) => {
      const k = part === '' ? String(Object.keys(node).length) : part;
      if (i === path.length - 1) node[k] = value;
      else node = (node[k] ??= {}) as Obj;
    });
  }
  const arrays = (v: unknown): unknown => {
    if (!v || typeof v !== 'object') return v;
    const o = v as Obj;
    const keys = Object.keys(o);
    const mapped = Object.fromEntries(keys.map((k) => [k, arrays(o[k])]));
    return keys.length && keys.every((k, i) => k === String(i)) ? keys.map((k) => mapped[k]) : mapped;
  };
  return arrays(root) as Obj;
}

class StripeFault extends Error {
  constructor(readonly status: number, readonly type: string, readonly code: string | undefined, message: string) { super(message); }
}

const missing = (what: string, id: string): StripeFault => new StripeFault(404, 'invalid_request_error', 'resource_missing', `No such ${what}: '${id}'`);
const invalid = (message: string, code = 'parameter_invalid'): StripeFault => new StripeFault(400, 'invalid_request_error', code, message);

export class StripeStandin {
  readonly requests: StripeRequest[] = [];
  readonly sessions = new Map<string, Obj>();
  readonly paymentIntents = new Map<string, Obj>();
  readonly paymentMethods = new Map<string, Obj>();
  readonly customers = new Map<string, Obj>();
  readonly charges = new Map<string, Obj>();
  readonly refunds = new Map<string, Obj>();
  /** True: every request answers 503 (Stripe unavailable). */
  down = false;
  /** True: every connection is dropped before an answer (Stripe unreachable). */
  refuse = false;
  private failures: { status: number; after: boolean }[] = [];
  private readonly idempotency = new Map<string, { fingerprint: string; status: number; answer: Obj }>();
  private server: http.Server | null = null;
  private seq = 0;

  constructor(readonly secretKey = 'sk_test_standin_0123456789', readonly webhookSecret = 'whsec_standin_0123456789') {}

  async start(): Promise<number> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return this.port;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => { s.closeAllConnections(); s.close(() => resolve()); });
  }

  /** The gateway settings that point the SDK here (no SDK retries: the tests drive retries themselves). */
  settings(): { host: string; port: number; protocol: 'http'; networkRetries: number } {
    return { host: '127.0.0.1', port: this.port, protocol: 'http', networkRetries: 0 };
  }

  /**
   * The next `n` requests answer `status` (e.g. 500). Default: refused before running (nothing stored, a retry runs);
   * `after: true`: run and stored under their Idempotency-Key, but the answer is lost (a retry replays the first result).
   */
  failNext(n: number, status: number, opts: { after?: boolean } = {}): void {
    for (let i = 0; i < n; i++) this.failures.push({ status, after: opts.after === true });
  }

  /** Recorded requests, optionally of one method and path prefix. */
  requestsTo(method: string, pathPrefix: string): StripeRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix));
  }

  private id(prefix: string): string {
    this.seq += 1;
    return `${prefix}_${crypto.randomBytes(6).toString('hex')}${this.seq}`;
  }

  // ---- test drivers ----

  /**
   * The customer pays (or is declined) on Checkout's page: a PaymentMethod with the card, a PaymentIntent, a charge,
   * and a Customer when the session asked for one (`customer_creation: always`) or named one.
   */
  completeSession(sessionId: string, p: { card?: Partial<StandinCard>; email: string; name?: string | null; declined?: string | boolean }): { session: Obj; paymentIntent: Obj } {
    const s = this.sessions.get(sessionId);
    if (!s) throw new Error(`no session ${sessionId}`);
    const card: StandinCard = { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030, ...p.card };
    let customer = typeof s.customer === 'string' ? s.customer : null;
    if (!customer && s.customer_creation === 'always' && !p.declined) {
      customer = this.id('cus');
      this.customers.set(customer, { id: customer, object: 'customer', email: p.email, name: p.name ?? null, created: Math.floor(Date.now() / 1000) });
    }
    const pm = this.id('pm');
    this.paymentMethods.set(pm, { id: pm, object: 'payment_method', type: 'card', card, customer, billing_details: { email: p.email, name: p.name ?? null } });
    const piId = this.id('pi');
    const pi: Obj = {
      id: piId, object: 'payment_intent', amount: s.amount_total, currency: s.currency, customer, payment_method: pm,
      metadata: (s.payment_intent_data as Obj | undefined)?.metadata ?? {}, livemode: false, latest_charge: null, last_payment_error: null,
      status: 'succeeded',
    };
    if (p.declined) {
      pi.status = 'requires_payment_method';
      pi.last_payment_error = { type: 'card_error', code: 'card_declined', decline_code: typeof p.declined === 'string' ? p.declined : 'generic_decline', message: 'Your card was declined.' };
    } else {
      const ch = this.id('ch');
      this.charges.set(ch, { id: ch, object: 'charge', amount: s.amount_total, amount_refunded: 0, refunded: false, currency: s.currency, payment_intent: piId, livemode: false });
      pi.latest_charge = ch;
      Object.assign(s, { status: 'complete', payment_status: 'paid', customer });
    }
    this.paymentIntents.set(piId, pi);
    Object.assign(s, { payment_intent: piId, customer_details: { email: p.email, name: p.name ?? null } });
    return { session: { ...s }, paymentIntent: { ...pi } };
  }

  /** A customer that exists at Stripe already (one WHMCS's own Stripe gateway created, say). */
  addCustomer(id: string, c: { email?: string; name?: string } = {}): Obj {
    const row = { id, object: 'customer', email: c.email ?? null, name: c.name ?? null, created: Math.floor(Date.now() / 1000) };
    this.customers.set(id, row);
    return row;
  }

  /** The charge of a PaymentIntent (for charge.refunded events). */
  chargeOf(paymentIntent: string): Obj {
    const pi = this.paymentIntents.get(paymentIntent)!;
    return { ...this.charges.get(String(pi.latest_charge))! };
  }

  /** A signed webhook: the raw body and its Stripe-Signature header (`timestamp` in unix seconds; `secret` to sign wrongly). */
  event(type: string, object: Obj, opts: { id?: string; timestamp?: number; secret?: string; livemode?: boolean } = {}): { id: string; body: string; header: string } {
    const id = opts.id ?? this.id('evt');
    const body = JSON.stringify({ id, object: 'event', type, api_version: '2026-11-18.endive', created: Math.floor(Date.now() / 1000), livemode: opts.livemode ?? false, data: { object }, pending_webhooks: 1, request: { id: null, idempotency_key: null } });
    const header = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: opts.secret ?? this.webhookSecret, timestamp: opts.timestamp ?? Math.floor(Date.now() / 1000) });
    return { id, body, header };
  }

  // ---- HTTP ----

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://stand.in');
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = parseForm(raw);
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    const rec: StripeRequest = { method: req.method ?? 'GET', path: url.pathname, query: parseForm(url.search.slice(1)), idempotencyKey: key, body, status: 0, replayed: false };
    this.requests.push(rec);
    if (this.refuse) {
      req.socket.destroy();
      return;
    }
    const send = (status: number, answer: Obj, replayed = false): void => {
      rec.status = status;
      rec.replayed = replayed;
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${this.seq}`, ...(replayed ? { 'idempotent-replayed': 'true' } : {}) });
      res.end(JSON.stringify(answer));
    };
    const fault = (e: StripeFault): Obj => ({ error: { type: e.type, message: e.message, ...(e.code ? { code: e.code } : {}) } });
    if (this.down) return send(503, fault(new StripeFault(503, 'api_error', undefined, 'Stripe is temporarily unavailable.')));
    if (req.headers.authorization !== `Bearer ${this.secretKey}`) return send(401, fault(new StripeFault(401, 'invalid_request_error', 'api_key_invalid', 'Invalid API Key provided.')));
    const failure = this.failures.shift();
    if (failure && !failure.after) return send(failure.status, fault(new StripeFault(failure.status, 'api_error', undefined, 'An unknown error occurred.')));

    const fingerprint = `${rec.method} ${rec.path} ${raw}`;
    const stored = rec.method === 'POST' && key ? this.idempotency.get(key) : undefined;
    if (stored && stored.fingerprint !== fingerprint) {
      return send(400, fault(new StripeFault(400, 'idempotency_error', undefined, 'Keys for idempotent requests can only be used with the same parameters they were first used with.')));
    }
    if (stored) return failure ? send(failure.status, fault(new StripeFault(failure.status, 'api_error', undefined, 'An unknown error occurred.'))) : send(stored.status, stored.answer, true);
    let status = 200;
    let answer: Obj;
    try {
      answer = this.route(rec.method, rec.path, body, rec.query);
    } catch (e) {
      if (!(e instanceof StripeFault)) throw e;
      status = e.status;
      answer = fault(e);
    }
    if (rec.method === 'POST' && key && status < 500) this.idempotency.set(key, { fingerprint, status, answer });
    if (failure) return send(failure.status, fault(new StripeFault(failure.status, 'api_error', undefined, 'An unknown error occurred.')));
    send(status, answer);
  }

  private route(method: string, path: string, body: Obj, query: Obj): Obj {
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/v1/checkout/sessions') return this.createSession(body);
    if (method === 'GET' && (m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path))) return this.retrieveSession(m[1], (query.expand as string[] | undefined) ?? []);
    if (method === 'POST' && path === '/v1/refunds') return this.createRefund(body);
    if (method === 'POST' && (m = /^\/v1\/payment_methods\/([^/]+)\/detach$/.exec(path))) {
      const pm = this.paymentMethods.get(m[1]);
      if (!pm) throw missing('payment_method', m[1]);
      if (!pm.customer) throw invalid('The payment method you provided is not attached to a customer so detachment is impossible.', 'payment_method_unexpected_state');
      pm.customer = null;
      return { ...pm };
    }
    if ((m = /^\/v1\/customers\/([^/]+)$/.exec(path))) {
      const c = this.customers.get(m[1]);
      if (!c || c.deleted) throw missing('customer', m[1]);
      if (method === 'GET') return { ...c };
      if (method === 'POST') {
        for (const k of ['email', 'name'] as const) if (body[k] !== undefined) c[k] = body[k];
        return { ...c };
      }
      if (method === 'DELETE') {
        c.deleted = true;
        return { id: m[1], object: 'customer', deleted: true };
      }
    }
    throw new StripeFault(404, 'invalid_request_error', undefined, `Unrecognized request URL (${method}: ${path}).`);
  }

  private createSession(b: Obj): Obj {
    if (b.mode !== 'payment') throw invalid('mode must be payment here');
    if (typeof b.success_url !== 'string') throw invalid('Missing required param: success_url.', 'parameter_missing');
    const items = b.line_items as { quantity: string; price_data: { currency: string; unit_amount: string } }[] | undefined;
    if (!Array.isArray(items) || !items.length) throw invalid('Missing required param: line_items.', 'parameter_missing');
    if (b.customer !== undefined && b.customer_creation !== undefined) throw invalid('You may only specify one of these parameters: customer, customer_creation.');
    if (typeof b.customer === 'string' && (!this.customers.get(b.customer) || this.customers.get(b.customer)!.deleted)) throw missing('customer', b.customer);
    const id = this.id('cs_test');
    const s: Obj = {
      id, object: 'checkout.session', mode: 'payment', status: 'open', payment_status: 'unpaid', livemode: false,
      url: `http://127.0.0.1:${this.port}/c/pay/${id}`, success_url: b.success_url, cancel_url: b.cancel_url ?? null,
      amount_total: items.reduce((n, i) => n + Number(i.price_data.unit_amount) * Number(i.quantity ?? 1), 0), currency: items[0].price_data.currency,
      client_reference_id: b.client_reference_id ?? null, metadata: b.metadata ?? {}, customer: b.customer ?? null, customer_creation: b.customer_creation ?? null,
      customer_details: null, customer_email: b.customer_email ?? null, payment_intent: null, payment_intent_data: b.payment_intent_data ?? {},
    };
    this.sessions.set(id, s);
    return this.publicSession(s);
  }

  /** A session as Stripe answers it (`payment_intent_data` is a create parameter only). */
  private publicSession(s: Obj): Obj {
    const { payment_intent_data: _omitted, ...rest } = s;
    return { ...rest };
  }

  private retrieveSession(id: string, expand: string[]): Obj {
    const s = this.sessions.get(id);
    if (!s) throw missing('checkout.session', id);
    const out = this.publicSession(s);
    if (typeof s.payment_intent === 'string' && (expand.includes('payment_intent') || expand.includes('payment_intent.payment_method'))) {
      const pi = { ...this.paymentIntents.get(s.payment_intent)! };
      if (expand.includes('payment_intent.payment_method') && typeof pi.payment_method === 'string') pi.payment_method = { ...this.paymentMethods.get(pi.payment_method)! };
      out.payment_intent = pi;
    }
    return out;
  }

  private createRefund(b: Obj): Obj {
    const pi = this.paymentIntents.get(String(b.payment_intent));
    if (!pi) throw missing('payment_intent', String(b.payment_intent));
    const charge = this.charges.get(String(pi.latest_charge));
    if (!charge) throw invalid('This PaymentIntent has no successful charge to refund.');
    const left = Number(charge.amount) - Number(charge.amount_refunded);
    const amount = b.amount === undefined ? left : Number(b.amount);
    if (left <= 0) throw invalid(`Charge ${String(charge.id)} has already been refunded.`, 'charge_already_refunded');
    if (amount > left) throw invalid('Refund amount is greater than the amount left.', 'amount_too_large');
    charge.amount_refunded = Number(charge.amount_refunded) + amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    const id = this.id('re');
    const refund = { id, object: 'refund', amount, currency: charge.currency, payment_intent: pi.id, charge: charge.id, status: 'succeeded', metadata: b.metadata ?? {} };
    this.refunds.set(id, refund);
    return { ...refund };
  }
}
