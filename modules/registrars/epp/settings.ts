/** Per-brand EPP connection settings (profile `modules["registrars/epp"]`), and turning them into registrar options. */
import fs from 'node:fs';
import { z } from 'zod';
import type { EppRegistrarOptions } from './epp-registrar';
import type { SessionLog } from './session';

/** A PEM value or a path to a PEM file. */
const PemOrPath = z.string().min(1);

export const EppSettings = z.object({
  host: z.string().min(1).optional(),
  port: z.coerce.number().int().min(1).max(65535).default(700),
  clID: z.string().min(3).max(16).optional(),
  /** The EPP password; prefer `passwordEnv` (the name of an environment variable) so no secret sits in the profile. */
  password: z.string().min(6).max(16).optional(),
  passwordEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(),
  /** Client certificate and key: PEM text or file paths. */
  certificate: PemOrPath.optional(),
  key: PemOrPath.optional(),
  /** CA that signed the registry's server certificate (PEM or path); the system store when absent. */
  ca: PemOrPath.optional(),
  servername: z.string().min(1).optional(),
  lang: z.string().min(2).max(8).default('en'),
  keepAliveSeconds: z.coerce.number().int().min(0).default(300),
  commandTimeoutSeconds: z.coerce.number().int().min(1).default(30),
  connectTimeoutSeconds: z.coerce.number().int().min(1).default(15),
  maxRetries: z.coerce.number().int().min(0).max(5).default(2),
  clTRIDPrefix: z.string().regex(/^[A-Za-z0-9-]{1,12}$/).default('psuite'),
}).passthrough();
export type EppSettings = z.infer<typeof EppSettings>;

/** Reads PEM text, or the file a path names. */
export function readPem(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return value.includes('-----BEGIN') ? value : fs.readFileSync(value, 'utf8');
}

/** Builds registrar options from settings; throws a readable error naming what is missing. */
export function optionsFromSettings(s: EppSettings, env: NodeJS.ProcessEnv = process.env, log?: SessionLog): EppRegistrarOptions {
  const password = s.passwordEnv ? env[s.passwordEnv] : s.password;
  const missing = [!s.host && 'host', !s.clID && 'clID', !password && (s.passwordEnv ? `password (environment variable ${s.passwordEnv} is empty)` : 'password or passwordEnv'), !s.certificate && 'certificate', !s.key && 'key'].filter(Boolean);
  if (missing.length) throw new Error(`EPP settings incomplete: ${missing.join(', ')}`);
  return {
    host: s.host!, port: s.port, servername: s.servername, clID: s.clID!, password: password!, lang: s.lang,
    cert: readPem(s.certificate), key: readPem(s.key), ca: readPem(s.ca),
    keepAliveMs: s.keepAliveSeconds * 1000, commandTimeoutMs: s.commandTimeoutSeconds * 1000, connectTimeoutMs: s.connectTimeoutSeconds * 1000,
    maxRetries: s.maxRetries, retryDelayMs: 500, clTRIDPrefix: s.clTRIDPrefix, log,
  };
}
