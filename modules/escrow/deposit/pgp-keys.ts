/**
 * The keys of a deposit: the escrow agent's public key (encryption) and the registrar's private key (signature), read
 * from the files the brand's settings name, the passphrase from the environment variable they name. Any problem is a
 * validation error naming the setting, raised before anything is written.
 */
import fs from 'node:fs/promises';
import * as openpgp from 'openpgp';
import { fieldIssue, validationError } from '../../../core/errors';
import type { EscrowSettings } from '../settings';

/** The loaded keys. */
export interface DepositKeys { encryptionKey: openpgp.PublicKey; signingKey: openpgp.PrivateKey }

const FIELD = 'profile.modules.escrow';

async function readArmored(file: string, field: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    throw validationError([fieldIssue(`${FIELD}.${field}`, 'validation.escrow.keyFileUnreadable')]);
  }
}

/** Loads and checks both keys (the agent's must be able to encrypt, the registrar's to sign). */
export async function loadDepositKeys(s: EscrowSettings, env: NodeJS.ProcessEnv = process.env): Promise<DepositKeys> {
  let encryptionKey: openpgp.PublicKey;
  try {
    encryptionKey = await openpgp.readKey({ armoredKey: await readArmored(s.agentPublicKeyFile!, 'agentPublicKeyFile') });
    await encryptionKey.getEncryptionKey();
  } catch (err) {
    if ((err as { code?: string }).code === 'SUITE_VALIDATION_FAILED') throw err;
    throw validationError([fieldIssue(`${FIELD}.agentPublicKeyFile`, 'validation.escrow.keyInvalid')]);
  }
  let signingKey: openpgp.PrivateKey;
  try {
    signingKey = await openpgp.readPrivateKey({ armoredKey: await readArmored(s.signingKeyFile!, 'signingKeyFile') });
  } catch (err) {
    if ((err as { code?: string }).code === 'SUITE_VALIDATION_FAILED') throw err;
    throw validationError([fieldIssue(`${FIELD}.signingKeyFile`, 'validation.escrow.keyInvalid')]);
  }
  if (!signingKey.isDecrypted()) {
    const passphrase = s.signingKeyPassphraseVar ? env[s.signingKeyPassphraseVar] : undefined;
    if (!passphrase) throw validationError([fieldIssue(`${FIELD}.signingKeyPassphraseVar`, 'validation.escrow.envMissing')]);
    try {
      signingKey = await openpgp.decryptKey({ privateKey: signingKey, passphrase });
    } catch {
      throw validationError([fieldIssue(`${FIELD}.signingKeyPassphraseVar`, 'validation.escrow.passphraseWrong')]);
    }
  }
  try {
    await signingKey.getSigningKey();
  } catch {
    throw validationError([fieldIssue(`${FIELD}.signingKeyFile`, 'validation.escrow.keyInvalid')]);
  }
  return { encryptionKey, signingKey };
}
