/**
 * PayPal webhook self-verification: RSA-SHA256 over `<transmission id>|<transmission time>|<webhook id>|<CRC32 of the
 * raw body, decimal>` with the certificate at PAYPAL-CERT-URL — fetched only over https from PayPal's API hosts, through
 * the module's transport, and cached per URL (bounded). A transmission more than 300 s from now is refused (a replay).
 */
import crypto from 'node:crypto';
import https from 'node:https';
import zlib from 'node:zlib';
import { gatewayError } from '../kit/errors';
import { paypalTransport } from './client';

/** The hosts a signing certificate may come from (PayPal's live and sandbox API hosts). */
export const CERT_HOSTS: ReadonlySet<string> = new Set(['api.paypal.com', 'api-m.paypal.com', 'api.sandbox.paypal.com', 'api-m.sandbox.paypal.com']);
/** The tolerance between PayPal's transmission time and now. */
export const TOLERANCE_SECONDS = 300;
const MAX_CERTS = 16;
const MAX_CERT_BYTES = 64 * 1024;

const certs = new Map<string, crypto.X509Certificate>();

/** Forgets the cached certificates (tests; a rotated transport). */
export function clearCertCache(): void {
  certs.clear();
}

const refused = (reason: string): Error => gatewayError('paypal', 'WEBHOOK_REFUSED', { reason });

/** The certificate URL if it is one PayPal could have sent: https, a PayPal API host, the default port, no credentials. */
export function allowedCertUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw refused('cert-url');
  }
  if (u.protocol !== 'https:' || !CERT_HOSTS.has(u.hostname) || (u.port !== '' && u.port !== '443') || u.username || u.password) throw refused('cert-url');
  return u;
}

function download(u: URL, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.get(u, { agent: paypalTransport(), timeout: timeoutMs, headers: { accept: 'application/x-pem-file, */*' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(refused('cert-unavailable'));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_CERT_BYTES) req.destroy(refused('cert-too-large'));
        else chunks.push(c);
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(refused('cert-unavailable')));
    req.on('error', (err) => reject(err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('SUITE_') ? err : refused('cert-unavailable')));
  });
}

/** The signing certificate at an allowed URL (cached; an expired one is fetched again). */
export async function signingCertificate(raw: string, timeoutMs: number, now = Date.now()): Promise<crypto.X509Certificate> {
  const u = allowedCertUrl(raw);
  const key = u.toString();
  const cached = certs.get(key);
  if (cached && Date.parse(cached.validTo) > now) return cached;
  let cert: crypto.X509Certificate;
  try {
    cert = new crypto.X509Certificate(await download(u, timeoutMs));
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'SUITE_PAYPAL_WEBHOOK_REFUSED') throw err;
    throw refused('cert-invalid');
  }
  if (Date.parse(cert.validFrom) > now || Date.parse(cert.validTo) <= now) throw refused('cert-expired');
  if (certs.size >= MAX_CERTS) certs.delete(certs.keys().next().value as string);
  certs.set(key, cert);
  return cert;
}

/** The headers a PayPal webhook is signed with (lower-case names, as node gives them). */
export interface SignatureHeaders { transmissionId: string; transmissionTime: string; signature: string; certUrl: string; algorithm: string }

/** Reads the signing headers; a missing one refuses the webhook. */
export function signatureHeaders(headers: Record<string, string | string[] | undefined>): SignatureHeaders {
  const one = (name: string): string => {
    const v = headers[name];
    const s = Array.isArray(v) ? v[0] : v;
    if (!s) throw refused('missing-header');
    return s;
  };
  return {
    transmissionId: one('paypal-transmission-id'), transmissionTime: one('paypal-transmission-time'), signature: one('paypal-transmission-sig'),
    certUrl: one('paypal-cert-url'), algorithm: headers['paypal-auth-algo'] ? one('paypal-auth-algo') : 'SHA256withRSA',
  };
}

/** The string PayPal signs for a body. */
export function signedString(transmissionId: string, transmissionTime: string, webhookId: string, rawBody: Buffer): string {
  return `${transmissionId}|${transmissionTime}|${webhookId}|${zlib.crc32(rawBody)}`;
}

/**
 * Verifies a webhook's signature, or throws SUITE_PAYPAL_WEBHOOK_REFUSED (400) naming the reason. The time and the URL
 * are checked before anything is fetched: a stale or foreign request costs no outbound call.
 */
export async function verifyWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>, webhookId: string, opts: { timeoutMs: number; now?: number }): Promise<void> {
  const now = opts.now ?? Date.now();
  const h = signatureHeaders(headers);
  if (h.algorithm !== 'SHA256withRSA') throw refused('algorithm');
  const sent = Date.parse(h.transmissionTime);
  if (!Number.isFinite(sent) || Math.abs(now - sent) > TOLERANCE_SECONDS * 1000) throw refused('stale');
  allowedCertUrl(h.certUrl);
  const cert = await signingCertificate(h.certUrl, opts.timeoutMs, now);
  let ok = false;
  try {
    ok = crypto.verify('sha256', Buffer.from(signedString(h.transmissionId, h.transmissionTime, webhookId, rawBody)), cert.publicKey, Buffer.from(h.signature, 'base64'));
  } catch {
    // A key that cannot verify RSA-SHA256 (another algorithm) is a refusal, not a 500.
  }
  if (!ok) throw refused('signature');
}
