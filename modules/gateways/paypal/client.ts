/**
 * The PayPal SDK client, one per mode and REST app (the SDK caches its OAuth token per client), and what of its errors
 * may be logged. An SDK error carries the request with its bearer token: only its status, name, issue and debug_id leave here.
 */
import crypto from 'node:crypto';
import type https from 'node:https';
import { ApiError, Client, Environment, OrdersController, PaymentsController, VaultController } from '@paypal/paypal-server-sdk';
import type { Logger } from '../../../core/logger';
import { gatewayError } from '../kit/errors';
import { credentials, type PaypalSettings } from './settings';

/** The controllers the module calls. */
export interface PaypalApi { orders: OrdersController; payments: PaymentsController; vault: VaultController }

let transport: https.Agent | undefined;
const clients = new Map<string, PaypalApi>();
const MAX_CLIENTS = 32;

/**
 * Routes every PayPal call (SDK and certificate fetch) through `agent` — tests hand an agent whose connections go to a
 * local stand-in; production leaves it unset (the SDK's own HTTPS to api-m.paypal.com). Not a profile setting: an
 * agent is code, and a profile that could point payments elsewhere would be a way to steal them.
 */
export function setPaypalTransport(agent?: https.Agent): void {
  transport = agent;
  clients.clear();
}

/** The agent set with `setPaypalTransport`, if any. */
export function paypalTransport(): https.Agent | undefined {
  return transport;
}

/** The controllers for a brand's settings (credentials read from the environment each time; a changed secret makes a new client). */
export function paypalApi(s: PaypalSettings, env: NodeJS.ProcessEnv = process.env): PaypalApi {
  const { clientId, clientSecret } = credentials(s, env);
  const key = crypto.createHash('sha256').update([s.mode, clientId, clientSecret, s.timeoutSeconds].join('\u0000')).digest('hex');
  const found = clients.get(key);
  if (found) return found;
  const timeout = s.timeoutSeconds * 1000;
  const client = new Client({
    clientCredentialsAuthCredentials: { oAuthClientId: clientId, oAuthClientSecret: clientSecret },
    environment: s.mode === 'live' ? Environment.Production : Environment.Sandbox,
    timeout,
    // An injected agent decides where connections go: proxy variables must not divert them.
    httpClientOptions: transport ? { timeout, httpsAgent: transport } : { timeout },
    ...(transport ? { unstable_httpClientOptions: { proxy: false } } : {}),
  });
  const api = { orders: new OrdersController(client), payments: new PaymentsController(client), vault: new VaultController(client) };
  if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value as string);
  clients.set(key, api);
  return api;
}

/** What may be said of a failed call: HTTP status, PayPal's error name and first issue, its debug_id; or the socket error code. */
export interface PaypalFailure { status: number | null; code: string; issue: string | null; debugId: string | null }

const word = (v: unknown): string | null => (typeof v === 'string' && /^[A-Za-z0-9_.-]{1,80}$/.test(v) ? v : null);

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return {};
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return {};
  }
}

/** Reads a thrown SDK or socket error into a PaypalFailure (never its message, headers or request). */
export function paypalFailure(err: unknown): PaypalFailure {
  if (err instanceof ApiError) {
    // The SDK leaves `result` unset on some errors: read PayPal's JSON body then.
    const r = (err.result ?? parseBody(err.body)) as { name?: unknown; error?: unknown; debug_id?: unknown; details?: { issue?: unknown }[] };
    return {
      status: err.statusCode,
      code: word(r.name) ?? word(r.error) ?? `HTTP_${err.statusCode}`,
      issue: Array.isArray(r.details) ? word(r.details[0]?.issue) : null,
      debugId: word(r.debug_id),
    };
  }
  const e = err as { code?: unknown; name?: unknown } | null;
  return { status: null, code: word(e?.code) ?? word(e?.name) ?? 'UNKNOWN', issue: null, debugId: null };
}

/** Logs a failure (status, name, issue, debug_id only) and returns it. */
export function logFailure(log: Logger, op: string, err: unknown): PaypalFailure {
  const f = paypalFailure(err);
  log.warn({ gateway: 'paypal', op, status: f.status, code: f.code, issue: f.issue, debugId: f.debugId }, 'PayPal call failed');
  return f;
}

/** The coded error for a failure the caller cannot go on from (502, naming PayPal's code, never its message). */
export function processorFailed(f: PaypalFailure): Error {
  return gatewayError('paypal', 'PROCESSOR_FAILED', { code: f.issue ?? f.code, status: f.status ?? 0 });
}
