/** The kernel: the shared services every module receives (config, db, crypto, brands, subjects, logs, outbox, hooks). */
import type { Knex } from 'knex';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Keyring } from './crypto/keyring';
import type { AuditLog } from './audit/audit-log';
import type { BrandService } from './brands/brand-service';
import type { SubjectService } from './subjects/subject-service';
import type { Outbox } from './outbox/outbox';
import type { ModuleRegistry } from './modules/registry';
import type { HookDispatcher } from './hooks/dispatcher';
import type { Brand } from './brands/brand';

export interface Kernel {
  config: Config;
  db: Knex;
  log: Logger;
  keyring: Keyring;
  audit: AuditLog;
  brands: BrandService;
  subjects: SubjectService;
  outbox: Outbox;
  modules: ModuleRegistry;
  hooks: HookDispatcher;
  /** A module's settings for a brand, parsed with its schema from the brand's effective profile. */
  settings<T = Record<string, unknown>>(module: string, brand: Brand): Promise<T>;
  /** Another module's exported service (the caller must name it in `requires`). */
  service<T>(module: string): T;
}
