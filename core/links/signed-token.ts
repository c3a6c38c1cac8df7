/**
 * Signed tokens: `<base64url(JSON payload)>.<mac>`, the MAC by the keyring under a signing purpose (a key derived
 * from the master key per purpose). Signed links (signed-link.ts) and the rights status link are built on it.
 */
import crypto from 'node:crypto';
import type { Kernel } from '../kernel';

/** A token carrying `payload`, MAC'd under `purpose`. */
export function signToken(kernel: Pick<Kernel, 'keyring'>, purpose: string, payload: Record<string, unknown>): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${kernel.keyring.sign(body, purpose)}`;
}

/** The payload of a token whose MAC under `purpose` is right (compared in constant time), else none. */
export function readSignedToken(kernel: Pick<Kernel, 'keyring'>, purpose: string, token: unknown, maxLength = 2048): Record<string, unknown> | undefined {
  if (typeof token !== 'string' || token.length > maxLength) return undefined;
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  const body = token.slice(0, dot);
  const mac = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(kernel.keyring.sign(body, purpose));
  if (mac.length !== expected.length || !crypto.timingSafeEqual(mac, expected)) return undefined;
  try {
    const p: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    return p !== null && typeof p === 'object' && !Array.isArray(p) ? (p as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
