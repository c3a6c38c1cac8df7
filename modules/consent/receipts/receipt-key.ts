/**
 * The Ed25519 key consent receipts are signed with: derived deterministically from the master key (HKDF purpose
 * 'consent-receipt-ed25519'), so every instance signs with the same key and nothing extra must be stored or backed up.
 */
import crypto from 'node:crypto';
import type { Keyring } from '../../../core/crypto/keyring';

/** The HKDF purpose of the receipt key seed. */
export const RECEIPT_KEY_PURPOSE = 'consent-receipt-ed25519';

// PKCS#8 PrivateKeyInfo for Ed25519 (RFC 8410) up to the 32-byte seed.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The public key as a JWK, with its RFC 7638 thumbprint as `kid`. */
export interface ReceiptJwk { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: 'EdDSA'; use: 'sig' }

/** A signing key pair and its published JWK. */
export interface ReceiptKey { privateKey: crypto.KeyObject; publicKey: crypto.KeyObject; jwk: ReceiptJwk }

const cache = new WeakMap<Keyring, ReceiptKey>();

/** The receipt key pair for this keyring's master key (computed once per keyring). */
export function receiptKey(keyring: Keyring): ReceiptKey {
  const hit = cache.get(keyring);
  if (hit) return hit;
  const seed = keyring.signingSeed(RECEIPT_KEY_PURPOSE);
  const privateKey = crypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  seed.fill(0);
  const publicKey = crypto.createPublicKey(privateKey);
  const { x } = publicKey.export({ format: 'jwk' }) as { x: string };
  const kid = crypto.createHash('sha256').update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x })).digest('base64url');
  const key: ReceiptKey = { privateKey, publicKey, jwk: { kty: 'OKP', crv: 'Ed25519', x, kid, alg: 'EdDSA', use: 'sig' } };
  cache.set(keyring, key);
  return key;
}
