/** Fixtures for the escrow tests: OpenPGP keys on disk, brand profiles, decrypting a delivered file. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as openpgp from 'openpgp';
import { registrantProfile } from '../registrant/fixtures';

/** Test keys: the agent's pair and the registrar's (passphrase-protected), the public/private files the settings name. */
export interface EscrowKeys { dir: string; agentPublicFile: string; signingFile: string; agentPrivate: openpgp.PrivateKey; registrarPublic: openpgp.PublicKey; passphrase: string }

export async function makeKeys(): Promise<EscrowKeys> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escrow-keys-'));
  const passphrase = crypto.randomBytes(12).toString('hex');
  const agent = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'Escrow Agent', email: 'rde@agent.example' }], format: 'armored' });
  const registrar = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'Test Registrar', email: 'rde@registrar.example' }], passphrase, format: 'armored' });
  const agentPublicFile = path.join(dir, 'agent.pub.asc');
  const signingFile = path.join(dir, 'registrar.sec.asc');
  fs.writeFileSync(agentPublicFile, agent.publicKey);
  fs.writeFileSync(signingFile, registrar.privateKey, { mode: 0o600 });
  return {
    dir, agentPublicFile, signingFile, passphrase,
    agentPrivate: await openpgp.readPrivateKey({ armoredKey: agent.privateKey }),
    registrarPublic: await openpgp.readKey({ armoredKey: registrar.publicKey }),
  };
}

/** The escrow agent as a recipient of the profile's register. */
export const ESCROW_RECIPIENT = { code: 'escrow', name: 'Registrar data escrow agent', kind: 'escrow', purposes: ['legal'], categories: ['contact', 'registration'] };

/** A registrant brand profile with the escrow agent registered and `escrow` settings. */
export function escrowProfile(escrow: Record<string, unknown>): Record<string, unknown> {
  const base = registrantProfile();
  return { ...base, recipients: [...(base.recipients as unknown[]), ESCROW_RECIPIENT], modules: { ...(base.modules as Record<string, unknown>), escrow } };
}

/** Decrypts one delivered file with the agent's key; the signature must verify with the registrar's public key. */
export async function openDeposit(file: string, keys: EscrowKeys): Promise<{ text: string; signedBy: string }> {
  const message = await openpgp.readMessage({ binaryMessage: fs.readFileSync(file) });
  const { data, signatures } = await openpgp.decrypt({ message, decryptionKeys: keys.agentPrivate, verificationKeys: keys.registrarPublic, expectSigned: true, format: 'binary' });
  await signatures[0].verified; // throws when the signature does not verify
  return { text: Buffer.from(data as Uint8Array).toString('utf8'), signedBy: signatures[0].keyID.toHex() };
}

/** Parses a CSV written by the deposit (RFC 4180, CRLF) into objects keyed by the header. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r') continue;
    else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; } else cell += c;
  }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}
