/**
 * Delivery to the escrow agent's SFTP server (ssh2-sftp-client): password or private key from the environment
 * variables the settings name, and the server's host key pinned by its SHA-256 fingerprint (a different key refuses
 * the connection). Upload to `<name>.part`, then rename; an incomplete file under the final name is replaced.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SftpClient from 'ssh2-sftp-client';
import type { Logger } from '../../../core/logger';
import type { SftpSettings } from '../settings';
import { tempName, type DeliveryTarget } from './target';

/** The OpenSSH-style fingerprint of a host key: `SHA256:<base64 without padding>`. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${crypto.createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

function privateKey(value: string): string {
  return value.includes('-----BEGIN') ? value : fs.readFileSync(value, 'utf8');
}

/** Connects to the server (refusing an unpinned host key) and opens the remote directory. */
export async function sftpTarget(s: SftpSettings, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<DeliveryTarget> {
  // The client's own listeners print to the console; these log the event only (an error's code, never the whole object).
  const client = new SftpClient('escrow', {
    error: (err: unknown) => log.warn({ code: (err as { code?: string }).code ?? 'error' }, 'escrow sftp connection error'),
    end: () => log.debug('escrow sftp connection ended'),
    close: () => log.debug('escrow sftp connection closed'),
  });
  const pinned = s.hostKeyFingerprint.replace(/=+$/, '');
  const password = s.passwordVar ? env[s.passwordVar] : undefined;
  const key = s.privateKeyVar && env[s.privateKeyVar] ? privateKey(env[s.privateKeyVar]!) : undefined;
  await client.connect({
    host: s.host, port: s.port, username: s.user, readyTimeout: s.timeoutSeconds * 1000, retries: 0,
    ...(password ? { password } : {}), ...(key ? { privateKey: key } : {}),
    hostVerifier: (hostKey: Buffer) => hostKeyFingerprint(hostKey) === pinned,
  });
  const remote = (name: string): string => path.posix.join(s.remoteDir, name);
  return {
    async size(name) {
      const kind = await client.exists(remote(name));
      return kind === '-' ? (await client.stat(remote(name))).size : null;
    },
    async put(local, name) {
      const tmp = remote(tempName(name));
      await client.put(local, tmp);
      if (await client.exists(remote(name))) await client.delete(remote(name));
      await client.rename(tmp, remote(name));
    },
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}
