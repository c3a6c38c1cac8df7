/**
 * Fires hooks the way WHMCS does, through the kernel's dispatcher, under the SQLite one-connection rule: everything
 * that reads the database (context, prepare) happens before a transaction opens; `pre` handlers run inside the
 * caller's transaction; `after` handlers run in a fresh transaction once the change is committed.
 */
import type { Knex } from 'knex';
import type { Kernel } from '../../core/kernel';
import type { Brand } from '../../core/brands/brand';
import type { CallContext } from '../../core/modules/define-module';
import type { HookResult, PreparedCall } from '../../core/hooks/dispatcher';
import type { HookName } from '../../hooks/catalogue';
import { CallFacts, parse } from './schemas';
import { vetoError } from './errors';

/** A pre hook resolved and validated outside the transaction, ready to run inside it. */
export interface PreparedPre { prepared: PreparedCall; vars: Record<string, unknown> }

/** Fires pre and after hooks for the platform's lifecycle functions, under the one-connection rule. */
export class HookRunner {
  constructor(private readonly kernel: Kernel) {}

  /** The call context for a brand and the caller's request facts (reads the database: call before a transaction). */
  async context(brand: Brand | string, facts: CallFacts | undefined): Promise<CallContext> {
    const f = parse(CallFacts, facts, 'context');
    return this.kernel.hooks.context({ brand, ...f, actor: f.actor ?? 'platform' });
  }

  /** Resolves a pre hook, validates its variables and runs the modules' checks (reads the database: call before a transaction). */
  async preparePre(hook: HookName, call: CallContext, rawVars: Record<string, unknown>): Promise<PreparedPre> {
    const prepared = await this.kernel.hooks.prepare(hook, call);
    const { vars } = this.kernel.hooks.validate(hook, rawVars, prepared.profile);
    await this.kernel.hooks.check(prepared, vars);
    return { prepared, vars };
  }

  /** Runs a prepared pre hook inside `trx`; a veto throws SUITE_PLATFORM_VETOED, which rolls the transaction back. */
  async runPre(p: PreparedPre, trx: Knex.Transaction): Promise<HookResult> {
    const result = await this.kernel.hooks.runPre(p.prepared, p.vars, trx);
    if (result.vetoed) throw vetoError(p.prepared.hook, result);
    return result;
  }

  /**
   * Fires an after hook once the change is committed: prepared now, run in a fresh transaction; never throws for a
   * handler. A module's check refusing the variables throws before anything is written (callers check first in the pre hook).
   */
  async after(hook: HookName, call: CallContext, rawVars: Record<string, unknown>): Promise<HookResult> {
    const prepared = await this.kernel.hooks.prepare(hook, call);
    const { vars } = this.kernel.hooks.validate(hook, rawVars, prepared.profile);
    await this.kernel.hooks.check(prepared, vars);
    if (!prepared.handlers.length) return { ok: true, vetoed: false, failures: 0 };
    return this.kernel.db.transaction((trx) => this.kernel.hooks.runAfter(prepared, vars, trx));
  }
}
