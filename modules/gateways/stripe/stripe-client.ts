/**
 * The Stripe SDK for a brand: one client per key and endpoint, built as the SDK documents it (no telemetry, the
 * brand's timeout and retries); failures become SUITE_STRIPE_PROCESSOR_FAILED carrying Stripe's code and status only
 * (never its message, which may quote a value, and never the error object, which holds the request).
 */
import crypto from 'node:crypto';
import Stripe from 'stripe';
import { gatewayError } from '../kit/errors';
import type { SuiteError } from '../../../core/errors';
import { secretKey, type StripeSettings } from './settings';

const clients = new Map<string, Stripe>();

/** The SDK client for the brand's settings (checks the key's mode first). */
export function stripeClient(s: StripeSettings, env: NodeJS.ProcessEnv = process.env): Stripe {
  const key = secretKey(s, env);
  const id = crypto.createHash('sha256').update(JSON.stringify([key, s.host, s.port, s.protocol, s.networkRetries, s.timeoutSeconds])).digest('hex');
  let client = clients.get(id);
  if (!client) {
    client = new Stripe(key, {
      maxNetworkRetries: s.networkRetries, telemetry: false, timeout: s.timeoutSeconds * 1000,
      ...(s.host ? { host: s.host } : {}), ...(s.port ? { port: s.port } : {}), ...(s.protocol ? { protocol: s.protocol } : {}),
    });
    clients.set(id, client);
  }
  return client;
}

/** What a failed call says: Stripe's HTTP status (null: not reached) and its error code (or type, or `unreachable`). */
export interface StripeFailure { status: number | null; code: string; declineCode?: string }

export function failureOf(err: unknown): StripeFailure {
  if (err instanceof Stripe.errors.StripeError) {
    const reached = err.statusCode !== undefined;
    return { status: err.statusCode ?? null, code: err.code ?? (reached ? err.rawType ?? err.type : 'unreachable'), declineCode: err.decline_code };
  }
  return { status: null, code: 'unreachable' };
}

/** A failure as the suite's coded error. */
export function processorFailed(err: unknown): SuiteError {
  const f = failureOf(err);
  return gatewayError('stripe', 'PROCESSOR_FAILED', { code: f.code, status: f.status ?? 0 });
}

/** Runs one SDK call, turning its failure into SUITE_STRIPE_PROCESSOR_FAILED. */
export async function stripeCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw processorFailed(err);
  }
}

/** Stripe's smallest unit for an amount (cents; whole units for the zero-decimal currencies). */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
export const toMinor = (amount: number, currency: string): number => Math.round(amount * (ZERO_DECIMAL.has(currency.toLowerCase()) ? 1 : 100));
export const fromMinor = (minor: number, currency: string): number => minor / (ZERO_DECIMAL.has(currency.toLowerCase()) ? 1 : 100);
