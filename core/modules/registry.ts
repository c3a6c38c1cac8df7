/**
 * The module registry: loads modules one by one (a module that fails is reported, the others go on), checks
 * `requires`, collects migrations, hook actions, routes, jobs, outbox deliverers, personal-data providers, error codes
 * and CLI commands.
 */
import type { Command } from 'commander';
import type { ModuleDefinition } from './define-module';
import type { MigrationSet } from '../db/migrator';
import type { Brand } from '../brands/brand';
import type { BrandService } from '../brands/brand-service';
import { isHookName } from '../../hooks/catalogue';
import type { EncryptedColumns } from '../crypto/encrypted-columns';
import { registerErrorCodes } from '../errors';

/** A module that could not be loaded, and why. */
export interface LoadFailure { module: string; error: string }

/** Something the registry can load: a definition, or a thunk that imports one (so an import error is isolated too). */
export type ModuleSource = ModuleDefinition | { name: string; load: () => ModuleDefinition };

export class ModuleRegistry {
  private readonly loaded = new Map<string, ModuleDefinition>();
  readonly failures: LoadFailure[] = [];
  private readonly services = new Map<string, unknown>();

  /** Loads every source in order; failures are recorded, never thrown. */
  load(sources: ModuleSource[], onFailure?: (f: LoadFailure) => void): void {
    const pending: ModuleDefinition[] = [];
    for (const src of sources) {
      const name = 'load' in src && typeof src.load === 'function' ? src.name : (src as ModuleDefinition).name;
      try {
        const def = 'load' in src && typeof src.load === 'function' ? src.load() : (src as ModuleDefinition);
        this.check(def);
        // A code the kernel or another module already declares makes this module fail to load.
        if (def.errors) registerErrorCodes(def.name, def.errors);
        pending.push(def);
      } catch (err) {
        const f = { module: name, error: (err as Error).message };
        this.failures.push(f);
        onFailure?.(f);
      }
    }
    // Requirements: a module whose required module is missing or failed is reported, not loaded.
    let changed = true;
    const ok = new Map(pending.map((d) => [d.name, d]));
    while (changed) {
      changed = false;
      for (const def of [...ok.values()]) {
        const missing = (def.requires ?? []).filter((r) => !ok.has(r));
        if (missing.length) {
          ok.delete(def.name);
          const f = { module: def.name, error: `requires module(s) that did not load: ${missing.join(', ')}` };
          this.failures.push(f);
          onFailure?.(f);
          changed = true;
        }
      }
    }
    for (const def of pending) if (ok.has(def.name)) this.loaded.set(def.name, def);
  }

  private check(def: ModuleDefinition): void {
    if (!def || typeof def !== 'object' || !def.name) throw new Error('the module does not export a definition made with defineModule');
    if (this.loaded.has(def.name)) throw new Error(`a module named "${def.name}" is already loaded`);
    if (!['addon', 'registrar', 'gateway'].includes(def.type)) throw new Error(`type must be addon, registrar or gateway (got "${def.type}")`);
    if (def.storesPersonalData && !def.personalData) throw new Error('stores personal data but has no personalData export/erase');
    for (const [action, a] of Object.entries(def.hooks ?? {})) {
      if (!isHookName(a.hook)) throw new Error(`action "${action}" is for unknown hook "${a.hook}"`);
    }
  }

  /** Adds every loaded module's CLI commands to `program`. */
  registerCli(program: Command): void {
    for (const def of this.loaded.values()) def.cli?.(program);
  }

  /** Builds each loaded module's exported service once the kernel exists. */
  initServices(kernel: Parameters<NonNullable<ModuleDefinition['service']>>[0]): void {
    for (const def of this.loaded.values()) if (def.service) this.services.set(def.name, def.service(kernel));
  }

  /** A module's exported service. */
  service<T>(name: string): T {
    if (!this.services.has(name)) throw new Error(`module "${name}" exports no service or is not loaded`);
    return this.services.get(name) as T;
  }

  /** Loaded modules, in load order. */
  list(): ModuleDefinition[] {
    return [...this.loaded.values()];
  }

  /** A loaded module by name. */
  get(name: string): ModuleDefinition | undefined {
    return this.loaded.get(name);
  }

  /** Migration sets of all loaded modules, in load order. */
  migrationSets(): MigrationSet[] {
    return this.list().filter((d) => d.migrations?.length).map((d) => ({ module: d.name, migrations: d.migrations! }));
  }

  /** Every encrypted column any loaded module declares. */
  encryptedColumns(): EncryptedColumns[] {
    return this.list().flatMap((d) => d.encryptedColumns ?? []);
  }

  /** Whether a module is on for a brand. */
  async enabledFor(brands: BrandService, brand: Brand, name: string): Promise<boolean> {
    const def = this.loaded.get(name);
    if (!def) return false;
    return brands.isEnabled(brand.id, 'module', name, def.enabledByDefault ?? true);
  }
}
