/** The master key: from SUITE_MASTER_KEY, or generated once into data/master.key (with a warning). */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Derives 32 bytes from the configured key text (base64/hex of 32 bytes, or any passphrase of 32+ chars). */
export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-f]{64}$/i.test(trimmed)) return Buffer.from(trimmed, 'hex');
  const b64 = Buffer.from(trimmed, 'base64');
  if (b64.length === 32 && /^[A-Za-z0-9+/=_-]+$/.test(trimmed)) return b64;
  if (trimmed.length < 32) throw new Error('SUITE_MASTER_KEY must be 32 bytes as hex/base64, or a passphrase of at least 32 characters');
  return crypto.createHash('sha256').update(trimmed).digest();
}

/** Loads the master key, creating data/master.key when none is configured. `warn` hears about the generation. */
export function loadMasterKey(configured: string | undefined, dataDir: string, warn: (msg: string) => void): Buffer {
  if (configured) return parseMasterKey(configured);
  const file = path.join(dataDir, 'master.key');
  if (fs.existsSync(file)) return parseMasterKey(fs.readFileSync(file, 'utf8'));
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, crypto.randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
  warn(`SUITE_MASTER_KEY is not set: generated ${file}. Back it up and move it to SUITE_MASTER_KEY for production; without it encrypted data cannot be read.`);
  return parseMasterKey(fs.readFileSync(file, 'utf8'));
}

/** Derives a purpose-bound sub-key from the master key (HKDF-SHA256). */
export function deriveKey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), `privacy-suite:${purpose}`, 32));
}
