/**
 * The suite: opens the database, loads modules, runs migrations, builds the kernel, the hook dispatcher, the HTTP
 * app, the scheduler and the outbox worker. `Suite.create()` is the in-process entry point for Node platforms.
 */
import http, { type Server } from 'node:http';
import type { Knex } from 'knex';
import { ensureDataDir, loadConfig, type Config } from './config';
import { openDatabase } from './db/connection';
import { migrateUp, type MigrationSet } from './db/migrator';
import { createKernelTables } from './db/migrations/202611230400-create-kernel-tables';
import { addSubjectRestriction } from './db/migrations/202612011100-add-subject-restriction';
import { widenBrandProfile } from './db/migrations/202612160900-widen-brand-profile';
import { exactBrandSlugs } from './db/migrations/202612161000-exact-brand-slugs';
import { createAccessWatch } from './db/migrations/202612211000-create-access-watch';
import { createAdminUsers } from './db/migrations/202612221000-create-admin-users';
import { createRateLimits } from './db/migrations/202612221100-create-rate-limits';
import { createSubjectEvents } from './db/migrations/202612221200-create-subject-events';
import { createSubjectHoldings } from './db/migrations/202612231000-create-subject-holdings';
import { createLogger, type Logger } from './logger';
import { loadMasterKey } from './crypto/master-key';
import { Keyring } from './crypto/keyring';
import { AuditLog, auditChain } from './audit/audit-log';
import { ensureChainHeads } from './chain/hash-chain';
import { disclosureChain } from './registers/disclosure-log';
import { BrandService } from './brands/brand-service';
import { moduleSettings, moduleSettingsCheck } from './profile/module-settings';
import { SubjectService } from './subjects/subject-service';
import { Outbox } from './outbox/outbox';
import { OutboxWorker } from './outbox/worker';
import { ModuleRegistry, type ModuleSource } from './modules/registry';
import { HookDispatcher, resolveBindings, type CallInput } from './hooks/dispatcher';
import { DEFAULT_BINDINGS } from '../hooks/bindings';
import type { BindingDefinition } from '../hooks/define-binding';
import type { Kernel } from './kernel';
import { ApiKeys } from './apikeys/api-keys';
import { createRequestListener } from './http/app';
import { Scheduler } from './scheduler/scheduler';
import type { OutboxDeliverer } from './modules/define-module';
import type { EncryptedColumns } from './crypto/encrypted-columns';

export interface SuiteOptions {
  env?: NodeJS.ProcessEnv;
  config?: Partial<Config>;
  /** The modules to load, in order: an installation's list is modules/installed.ts (core/ imports no module). */
  modules: ModuleSource[];
  bindings?: BindingDefinition[];
  logger?: Logger;
  /** Skip running migrations (the CLI's `migrate` does it itself). */
  migrate?: boolean;
  poolMax?: number;
}

/** The kernel's own migrations, run before any module's. */
export const KERNEL_MIGRATIONS: MigrationSet = { module: 'core', migrations: [createKernelTables, addSubjectRestriction, widenBrandProfile, exactBrandSlugs, createAccessWatch, createAdminUsers, createRateLimits, createSubjectEvents, createSubjectHoldings] };

/** Kernel tables with encrypted columns (modules add theirs). */
export const KERNEL_ENCRYPTED: EncryptedColumns[] = [
  { table: 'subject_fields', id: 'id', columns: ['value_enc'] },
  { table: 'brands', id: 'id', columns: ['hook_secret_enc', 'prev_hook_secret_enc'] },
  { table: 'outbox', id: 'id', columns: ['payload_enc'] },
];

export class Suite {
  server: Server | null = null;
  private draining = false;
  private inFlight = 0;
  readonly apiKeys: ApiKeys;
  readonly scheduler: Scheduler;
  readonly worker: OutboxWorker;

  private constructor(readonly kernel: Kernel, readonly registry: ModuleRegistry) {
    this.apiKeys = new ApiKeys(kernel.db, kernel.brands, kernel.audit);
    this.scheduler = new Scheduler(kernel);
    const deliverers = new Map<string, OutboxDeliverer>();
    for (const m of registry.list()) for (const [topic, d] of Object.entries(m.outbox ?? {})) deliverers.set(topic, d);
    this.worker = new OutboxWorker(kernel, deliverers);
  }

  /** Opens everything and, unless told otherwise, migrates the database. */
  static async create(opts: SuiteOptions): Promise<Suite> {
    const config = loadConfig(opts.env ?? process.env, opts.config);
    ensureDataDir(config);
    const log = opts.logger ?? createLogger(config.logLevel);
    const registry = new ModuleRegistry();
    registry.load(opts.modules, (f) => log.error({ module: f.module, reason: f.error }, 'module failed to load; the others go on'));
    const db: Knex = openDatabase(config.databaseUrl, { poolMax: opts.poolMax });
    try {
      if (opts.migrate !== false) await migrateUp(db, [KERNEL_MIGRATIONS, ...registry.migrationSets()]);
      if (await db.schema.hasTable('chain_heads')) await ensureChainHeads(db, [auditChain, disclosureChain, ...registry.list().flatMap((m) => m.chains ?? [])]);
      const keyring = new Keyring(db, loadMasterKey(config.masterKey, config.dataDir, (m) => log.warn(m)));
      await keyring.init();
      const audit = new AuditLog(db, (ip) => keyring.blindIndex(ip, 'ip'));
      const brands = new BrandService(db, keyring, audit, config.secretGraceSeconds, moduleSettingsCheck(() => registry.list()), log);
      const subjects = new SubjectService(db, keyring);
      const outbox = new Outbox(db, keyring, config.outboxMaxAttempts, config.outboxBaseDelayMs);
      let hooks: HookDispatcher | null = null;
      const settingsCache = new WeakMap<object, Map<string, unknown>>();
      const kernel: Kernel = {
        config, db, log, keyring, audit, brands, subjects, outbox, modules: registry,
        get hooks() { return hooks!; },
        async settings<T>(module: string, brand: Parameters<BrandService['profile']>[0]): Promise<T> {
          const profile = await brands.profile(brand);
          let perProfile = settingsCache.get(profile);
          if (!perProfile) settingsCache.set(profile, (perProfile = new Map()));
          if (!perProfile.has(module)) {
            const schema = registry.get(module)?.settings;
            perProfile.set(module, schema ? moduleSettings(schema, profile, module) : (profile.modules[module] ?? {}));
          }
          return perProfile.get(module) as T;
        },
        service<T>(module: string): T { return registry.service<T>(module); },
      };
      hooks = new HookDispatcher(() => kernel, resolveBindings(opts.bindings ?? DEFAULT_BINDINGS, registry, (m) => log.warn(m)));
      registry.initServices(kernel);
      return new Suite(kernel, registry);
    } catch (err) {
      await db.destroy();
      throw err;
    }
  }

  /** The in-process hook API for Node platforms: `suite.hooks.run(name, vars, context)`. */
  get hooks(): { run: (name: string, vars: unknown, context: CallInput) => ReturnType<HookDispatcher['run']> } {
    return { run: (name, vars, context) => this.kernel.hooks.run(name, vars, context) };
  }

  /** Every encrypted column (kernel and modules), for key rotation. */
  encryptedColumns(): EncryptedColumns[] {
    return [...KERNEL_ENCRYPTED, ...this.registry.encryptedColumns()];
  }

  /** Issues the owner key on an empty database; returns it once, or null when keys already exist. */
  async bootstrapOwnerKey(): Promise<string | null> {
    if (await this.apiKeys.any()) return null;
    // The settings row is the guard: of two instances starting on one empty database, only one inserts it.
    try {
      await this.kernel.db('suite_settings').insert({ name: 'owner_key_issued', value: String(Date.now()) });
    } catch {
      return null;
    }
    const { key } = await this.apiKeys.create({ role: 'owner', label: 'first owner key' }, { type: 'system', id: 'bootstrap' });
    return key;
  }

  /** Starts the HTTP server (and, unless disabled, the scheduler, the outbox worker and the modules' `start`, e.g. WHOIS). */
  async listen(port = this.kernel.config.port, host = this.kernel.config.host, opts: { background?: boolean } = {}): Promise<Server> {
    const listener = createRequestListener(this.kernel, this.apiKeys, () => this.draining);
    const server = await new Promise<Server>((resolve, reject) => {
      const s = http.createServer(listener).listen(port, host, () => resolve(s));
      s.on('error', reject);
    });
    server.on('request', (_req, res) => {
      this.inFlight += 1;
      res.on('close', () => { this.inFlight -= 1; });
    });
    this.server = server;
    if (opts.background ?? this.kernel.config.scheduler) {
      this.scheduler.start();
      this.worker.start();
      await this.startModules();
    }
    return server;
  }

  /** Runs every module's `start` (a module that cannot start is logged; the others and HTTP go on). */
  private async startModules(): Promise<void> {
    for (const m of this.registry.list()) {
      if (!m.start) continue;
      try {
        await m.start(this.kernel);
      } catch (err) {
        this.kernel.log.error({ module: m.name, code: (err as NodeJS.ErrnoException).code ?? (err as Error).name }, 'module did not start');
      }
    }
  }

  /** Graceful shutdown: stop accepting, finish in-flight requests, stop jobs and release leases, close the database. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.draining = true;
    if (this.server) {
      const server = this.server;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + timeoutMs;
      while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      server.closeAllConnections();
      await closed;
      this.server = null;
    }
    await this.scheduler.stop();
    await this.worker.stop();
    for (const m of this.registry.list()) {
      if (!m.stop) continue;
      try {
        await m.stop(this.kernel);
      } catch (err) {
        this.kernel.log.warn({ module: m.name, code: (err as Error).name }, 'module did not stop cleanly');
      }
    }
    await this.kernel.db.destroy();
  }
}
