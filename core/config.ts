/** Runtime configuration, read once from the environment and validated. */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const Config = z.object({
  databaseUrl: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  whoisPort: z.coerce.number().int().min(0).max(65535),
  dataDir: z.string().min(1),
  masterKey: z.string().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  hookSkewSeconds: z.coerce.number().int().positive(),
  secretGraceSeconds: z.coerce.number().int().nonnegative(),
  outboxMaxAttempts: z.coerce.number().int().positive(),
  outboxBaseDelayMs: z.coerce.number().int().positive(),
  trustProxy: z.boolean(),
  scheduler: z.boolean(),
  /** SMTP transport for outgoing mail (smtp[s]://user:pass@host:port); unset: mail waits in the outbox. */
  smtpUrl: z.string().min(1).optional(),
  /** Envelope and From address of outgoing mail (default privacy@localhost). */
  mailFrom: z.string().min(1).optional(),
  /** MS-10: failed authentications from one IP within one window that raise an unusual-access alert (default 20). */
  unusualAccessThreshold: z.coerce.number().int().positive(),
  /** MS-10: the length of that window in seconds (fixed windows, default 600). */
  unusualAccessWindowSeconds: z.coerce.number().int().positive(),
  /** Requests per minute one address may make to the customer-facing JSON endpoints under /b/:brand/ (default 300). */
  publicRatePerMinute: z.coerce.number().int().positive(),
  /** RDAP look-ups per minute per address, counted in process per instance (default 600). */
  rdapRatePerMinute: z.coerce.number().int().positive(),
  /** WHOIS queries per minute per address, counted in the database across instances (default 60). */
  whoisRatePerMinute: z.coerce.number().int().positive(),
  /** `Cache-Control: max-age` of a found RDAP object that publishes no personal data (default 60 s; 0: no-store). */
  rdapCacheSeconds: z.coerce.number().int().nonnegative(),
  /**
   * How long (ms) a redacted RDAP answer is served from this process's memory without re-reading its version (default
   * 1000; 0: every look-up re-reads). Like the brand service's cached profiles, a change shows after at most this long.
   */
  rdapMemoMs: z.coerce.number().int().nonnegative().max(60_000),
});
export type Config = z.infer<typeof Config>;

/** Reads the config from an environment map (process.env by default), with documented defaults. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const dataDir = overrides.dataDir ?? env.SUITE_DATA_DIR ?? path.resolve(process.cwd(), 'data');
  const parsed = Config.safeParse({
    databaseUrl: env.DATABASE_URL || `sqlite:${path.join(dataDir, 'suite.sqlite')}`,
    port: env.PORT ?? 8080,
    host: env.HOST ?? '127.0.0.1',
    whoisPort: env.WHOIS_PORT ?? 4343,
    dataDir,
    masterKey: env.SUITE_MASTER_KEY || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    hookSkewSeconds: env.SUITE_HOOK_SKEW_SECONDS ?? 300,
    secretGraceSeconds: env.SUITE_SECRET_GRACE_SECONDS ?? 86400,
    outboxMaxAttempts: env.SUITE_OUTBOX_MAX_ATTEMPTS ?? 8,
    outboxBaseDelayMs: env.SUITE_OUTBOX_BASE_DELAY_MS ?? 2000,
    trustProxy: env.SUITE_TRUST_PROXY === '1' || env.SUITE_TRUST_PROXY === 'true',
    scheduler: env.SUITE_SCHEDULER !== '0' && env.SUITE_SCHEDULER !== 'false',
    smtpUrl: env.SUITE_SMTP_URL || undefined,
    mailFrom: env.SUITE_MAIL_FROM || undefined,
    unusualAccessThreshold: env.SUITE_UNUSUAL_ACCESS_THRESHOLD ?? 20,
    unusualAccessWindowSeconds: env.SUITE_UNUSUAL_ACCESS_WINDOW_SECONDS ?? 600,
    publicRatePerMinute: env.SUITE_PUBLIC_RATE_PER_MINUTE ?? 300,
    rdapRatePerMinute: env.SUITE_RDAP_RATE_PER_MINUTE ?? 600,
    whoisRatePerMinute: env.SUITE_WHOIS_RATE_PER_MINUTE ?? 60,
    rdapCacheSeconds: env.SUITE_RDAP_CACHE_SECONDS ?? 60,
    rdapMemoMs: env.SUITE_RDAP_MEMO_MS ?? 1000,
    ...overrides,
  });
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration (${fields}). See .env.example.`);
  }
  return parsed.data;
}

/** Makes sure the data directory exists (it holds the SQLite file and a generated master key). */
export function ensureDataDir(config: Config): void {
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
}
