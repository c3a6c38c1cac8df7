/** The hook signature: `X-Suite-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` with the brand's hook secret. */
import crypto from 'node:crypto';

/** Computes the v1 signature header value. */
export function signHook(secret: string, timestamp: number | string, rawBody: string | Buffer): string {
  return `v1=${crypto.createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

/** True when `header` carries a v1 signature matching one of the secrets (constant-time comparison). */
export function verifyHookSignature(header: string, secrets: string[], timestamp: string, rawBody: Buffer): boolean {
  const given = header.split(',').map((p) => p.trim()).filter((p) => p.startsWith('v1=')).map((p) => p.slice(3));
  for (const secret of secrets) {
    const expected = Buffer.from(signHook(secret, timestamp, rawBody).slice(3), 'hex');
    for (const g of given) {
      if (/^[0-9a-f]{64}$/.test(g) && crypto.timingSafeEqual(expected, Buffer.from(g, 'hex'))) return true;
    }
  }
  return false;
}
