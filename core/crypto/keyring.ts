/**
 * Field encryption at rest: AES-256-GCM under data keys that are wrapped by the master key.
 * Each ciphertext carries its key id (`v1.<kid>.<iv>.<tag>.<ct>`), so old keys keep decrypting during a rotation.
 * Look-ups by email use a keyed hash (blind index) instead of the plaintext.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { SuiteError } from '../errors';
import { deriveKey } from './master-key';

interface DataKey { id: string; key: Buffer; state: 'active' | 'decrypt-only' }

const TABLE = 'crypto_keys';
const ACTIVE_KEY_TTL_MS = 30_000;

function wrap(master: Buffer, key: Buffer): string {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', deriveKey(master, 'key-wrap'), iv);
  const ct = Buffer.concat([c.update(key), c.final()]);
  return [iv, c.getAuthTag(), ct].map((b) => b.toString('base64url')).join('.');
}

function unwrap(master: Buffer, wrapped: string): Buffer {
  const [iv, tag, ct] = wrapped.split('.').map((p) => Buffer.from(p, 'base64url'));
  const d = crypto.createDecipheriv('aes-256-gcm', deriveKey(master, 'key-wrap'), iv);
  d.setAuthTag(tag);
  return Buffer.concat([d.update(ct), d.final()]);
}

// Random 96-bit GCM nonces, cut from a CSPRNG buffer filled 4 KB at a time (one randomBytes call per ~340 values
// instead of one per value: the call is a system call, and a hook event encrypts a dozen fields).
let ivPool = Buffer.alloc(0);
let ivOffset = 0;
function nextIv(): Buffer {
  if (ivOffset + 12 > ivPool.length) {
    ivPool = crypto.randomBytes(4092);
    ivOffset = 0;
  }
  const iv = Buffer.from(ivPool.subarray(ivOffset, ivOffset + 12));
  ivPool.fill(0, ivOffset, ivOffset + 12); // a used nonce is not kept in memory
  ivOffset += 12;
  return iv;
}

/** Holds the data keys of one database and encrypts, decrypts and blind-indexes values. */
export class Keyring {
  private keys = new Map<string, DataKey>();
  private activeId: string | null = null;
  private activeLoadedAt = 0;
  private readonly indexKey: Buffer;

  constructor(private readonly db: Knex, private readonly master: Buffer) {
    this.indexKey = deriveKey(master, 'blind-index');
  }

  /** Loads the wrapped keys, creating the first data key on an empty database. */
  async init(): Promise<void> {
    await this.reload();
    if (!this.activeId) await this.createKey();
  }

  private async reload(): Promise<void> {
    const rows = (await this.db(TABLE).select('id', 'wrapped', 'state')) as { id: string; wrapped: string; state: DataKey['state'] }[];
    for (const r of rows) {
      let key: Buffer;
      try {
        key = unwrap(this.master, r.wrapped);
      } catch {
        throw new Error(`data key ${r.id} cannot be unwrapped: SUITE_MASTER_KEY does not match the one this database was created with`);
      }
      this.keys.set(r.id, { id: r.id, key, state: r.state });
      if (r.state === 'active') this.activeId = r.id;
    }
    this.activeLoadedAt = Date.now();
  }

  /** Creates a new data key and makes it the active one; the previous active key becomes decrypt-only. */
  async createKey(): Promise<string> {
    const id = `k${Date.now().toString(36)}${crypto.randomBytes(2).toString('hex')}`;
    const key = crypto.randomBytes(32);
    await this.db.transaction(async (trx) => {
      await trx(TABLE).where({ state: 'active' }).update({ state: 'decrypt-only' });
      await trx(TABLE).insert({ id, wrapped: wrap(this.master, key), state: 'active', created_at: Date.now() });
    });
    for (const k of this.keys.values()) k.state = 'decrypt-only';
    this.keys.set(id, { id, key, state: 'active' });
    this.activeId = id;
    this.activeLoadedAt = Date.now();
    return id;
  }

  /** Loads every data key (a handful of rows), so values under any of them decrypt synchronously afterwards. */
  async loadAll(): Promise<void> {
    await this.reload();
  }

  /** The id of the key new values are encrypted under (refreshed periodically so a rotation elsewhere is picked up). */
  async activeKeyId(): Promise<string> {
    if (!this.activeId || Date.now() - this.activeLoadedAt > ACTIVE_KEY_TTL_MS) await this.reload();
    if (!this.activeId) throw new SuiteError('SUITE_CRYPTO_KEY_UNKNOWN', { kid: 'active' });
    return this.activeId;
  }

  /** Synchronous encryption under the currently cached active key. */
  encryptSync(plain: string): string {
    if (!this.activeId) throw new SuiteError('SUITE_CRYPTO_KEY_UNKNOWN', { kid: 'active' });
    const k = this.keys.get(this.activeId)!;
    const iv = nextIv();
    const c = crypto.createCipheriv('aes-256-gcm', k.key, iv);
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `v1.${k.id}.${iv.toString('base64url')}.${c.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`;
  }

  /** Encrypts a value under the active key. */
  async encrypt(plain: string): Promise<string> {
    await this.activeKeyId();
    return this.encryptSync(plain);
  }

  /** Which key a ciphertext was made with. */
  static keyIdOf(cipher: string): string {
    return cipher.split('.')[1];
  }

  /** Decrypts a value; an unknown key id triggers one reload (another instance may have rotated). */
  async decrypt(cipher: string): Promise<string> {
    const kid = Keyring.keyIdOf(cipher);
    if (!this.keys.has(kid)) await this.reload();
    return this.decryptSync(cipher);
  }

  /** Decrypts with the keys already loaded. */
  decryptSync(cipher: string): string {
    const [version, kid, iv, tag, ct] = cipher.split('.');
    const k = this.keys.get(kid);
    if (version !== 'v1' || !k) throw new SuiteError('SUITE_CRYPTO_KEY_UNKNOWN', { kid: kid ?? '?' });
    try {
      const d = crypto.createDecipheriv('aes-256-gcm', k.key, Buffer.from(iv, 'base64url'));
      d.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
    } catch {
      throw new SuiteError('SUITE_CRYPTO_DECRYPT_FAILED', { kid });
    }
  }

  /** Keyed hash for equality look-ups (emails are lower-cased and trimmed first). */
  blindIndex(value: string, scope = 'email'): string {
    const normalised = scope === 'email' ? value.trim().toLowerCase() : value.trim();
    return crypto.createHmac('sha256', this.indexKey).update(`${scope}:${normalised}`).digest('hex');
  }

  /** A 32-byte seed for an asymmetric signing key (e.g. Ed25519), derived from the master key; only purposes ending in '-ed25519'. */
  signingSeed(purpose: string): Buffer {
    if (!/^[a-z][a-z0-9-]*-ed25519$/.test(purpose)) throw new Error(`signing seed purpose "${purpose}" must end in -ed25519`);
    return deriveKey(this.master, purpose);
  }

  /** A keyed MAC for signing links and receipts. */
  sign(data: string, purpose: string): string {
    return crypto.createHmac('sha256', deriveKey(this.master, `sign:${purpose}`)).update(data).digest('base64url');
  }
}
