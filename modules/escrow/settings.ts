/**
 * Per-brand escrow settings (profile `modules.escrow`). Keys and credentials are never in the profile: it names the
 * files and environment variables that hold them. `checkDepositConfig` names the first missing or unusable field
 * before anything is written.
 */
import { z } from 'zod';

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

const ENV_NAME = z.string().regex(/^[A-Z_][A-Z0-9_]{0,100}$/, 'an environment variable name (A-Z, 0-9, _)');

export const SftpSettings = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().min(1),
  /** The environment variable holding the password (or use `privateKeyVar`). */
  passwordVar: ENV_NAME.optional(),
  /** The environment variable holding the private key (PEM/OpenSSH text, or a path to the key file). */
  privateKeyVar: ENV_NAME.optional(),
  remoteDir: z.string().min(1).default('.'),
  /** The agent's host key, pinned: `SHA256:<base64>` as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'SHA256:<base64> as ssh-keygen -l prints it'),
  timeoutSeconds: z.number().int().min(1).max(600).default(30),
}).strict();
export type SftpSettings = z.infer<typeof SftpSettings>;

export const EscrowSettings = z.object({
  /** Make deposits for this brand (the job and `escrow deposit` skip a brand that is not enabled). */
  enabled: z.boolean().default(false),
  /** The registrar's IANA id (first part of every file name). */
  ianaId: z.number().int().positive().optional(),
  /** ICANN's 2024 single CSV, or the 2007 pair of a domain file with role handles and a handle file. */
  format: z.enum(['csv-2024', 'full-handle-2007']).default('csv-2024'),
  /** The weekday (UTC) of the full deposit; incremental deposits the other days. */
  fullDay: z.enum(WEEKDAYS).default('sunday'),
  /** Largest plain-text part before encryption; a file is split at a row boundary past this size. */
  partBytes: z.number().int().min(1024).default(512 * 1024 * 1024),
  /** The escrow agent's OpenPGP public key (armored), a file path. */
  agentPublicKeyFile: z.string().min(1).optional(),
  /** The registrar's OpenPGP private key (armored) that signs every file, a file path. */
  signingKeyFile: z.string().min(1).optional(),
  /** The environment variable holding the signing key's passphrase (unset: the key is not protected). */
  signingKeyPassphraseVar: ENV_NAME.optional(),
  delivery: z.enum(['sftp', 'directory']).default('sftp'),
  sftp: SftpSettings.optional(),
  /** Delivery `directory`: where the files go (a mounted share, say). */
  directory: z.string().min(1).optional(),
  /** Where deposits are built before delivery (default `<data dir>/escrow`); shared storage when several instances run. */
  stagingDir: z.string().min(1).optional(),
  /** The recipient (in the profile's register) and purpose each deposit is logged under in the disclosure log. */
  recipient: z.string().default('escrow'),
  purpose: z.string().default('legal'),
  /** An incremental deposit takes domains changed since the last deposit's start minus this overlap (commit lag, clock skew). */
  overlapSeconds: z.number().int().min(0).max(86400).default(300),
}).passthrough();
export type EscrowSettings = z.infer<typeof EscrowSettings>;

/** Domains read and written per page. */
export const PAGE_SIZE = 500;

/** The job's schedule: daily at 01:30 UTC unless SUITE_ESCROW_CRON says otherwise. */
export const DEPOSIT_SCHEDULE = process.env.SUITE_ESCROW_CRON ?? '30 1 * * *';

/** The lease the job and the CLI share, so two deposits of one installation never run at once. */
export const DEPOSIT_LEASE = 'escrow:deposit';
