/**
 * The hook dispatcher. `pre` handlers run in priority order inside one transaction and may veto (errors,
 * abortWithError: the transaction rolls back) or change the variables; `after` handlers run once the change is
 * committed, each in its own savepoint, and a failing one is recorded for the admin and never fails the call.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { HOOKS, hookSpecOf, isHookName, type HookName, type HookSpec, type HookVars } from '../../hooks/catalogue';
import type { BindingDefinition } from '../../hooks/define-binding';
import { SuiteError, validationError, zodIssues } from '../errors';
import { t as translate } from '../i18n';
import type { Kernel } from '../kernel';
import { dialectOfKnex } from '../db/connection';
import { isRetryableConflict, retryOnConflict } from '../db/retry';
import type { CallContext, HookAnswer, HookCheck, HookHandler } from '../modules/define-module';
import type { ModuleRegistry } from '../modules/registry';
import { SECRET_FIELDS } from '../subjects/field-catalogue';
import { refuseHealthData } from '../subjects/health';
import type { Brand } from '../brands/brand';
import type { PrivacyProfile } from '../profile/schema';

/** A binding whose module and action were found. */
export interface ResolvedBinding extends BindingDefinition { handler: HookHandler; check?: HookCheck }

/** The answer of a hook call: WHMCS conventions plus `vetoed` and the count of after-handler failures. */
export interface HookResult extends HookAnswer { ok: true; vetoed: boolean; failures: number }

/** The context a caller passes: a brand (slug or Brand) and the request facts. */
export interface CallInput { brand: string | Brand; ip?: string; userAgent?: string; gpc?: boolean; locale?: string; actor?: string; requestId?: string }

class Veto extends Error {}

/** Options of `run`: `beforeCommit` runs inside the transaction when the call is accepted. */
export interface RunOptions { beforeCommit?: (trx: Knex.Transaction, result: HookResult) => Promise<void> }

/** A deep copy of validated variables for a retry; undefined (no retry) if an in-process caller passed something uncloneable. */
function cloneVars(vars: Record<string, unknown>): Record<string, unknown> | undefined {
  try {
    return structuredClone(vars);
  } catch {
    return undefined;
  }
}

/** Carries a single after-handler's error out of its transaction (see `run`). */
class AfterHandlerFailed extends Error {
  constructor(override readonly cause: unknown) { super('after-hook handler failed'); }
}

/** An error message fit for the admin's failure list: quoted values (which may be personal data) are masked. */
function safeMessage(err: unknown): string {
  if (err instanceof SuiteError) return err.message.slice(0, 500);
  return `${(err as Error).name ?? 'Error'}: ${String((err as Error).message ?? '')}`.replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "'…'").slice(0, 500);
}

/** A hook call resolved outside the transaction: the bindings to run, with settings and profile. */
export interface PreparedCall {
  hook: HookName;
  call: CallContext;
  profile: PrivacyProfile;
  handlers: { binding: ResolvedBinding; settings: unknown }[];
}

/** Resolves bindings against the loaded modules. Unknown hooks or actions fail here, at start-up. */
export function resolveBindings(bindings: BindingDefinition[], registry: ModuleRegistry, warn: (msg: string) => void): ResolvedBinding[] {
  const out: ResolvedBinding[] = [];
  const ids = new Set<string>();
  for (const b of bindings) {
    if (!isHookName(b.hook)) throw new Error(`binding "${b.id}" names unknown hook "${b.hook}"`);
    if (ids.has(b.id)) throw new Error(`binding id "${b.id}" is used twice`);
    ids.add(b.id);
    const mod = registry.get(b.module);
    if (!mod) {
      warn(`binding "${b.id}" skipped: module "${b.module}" is not loaded`);
      continue;
    }
    const action = mod.hooks?.[b.action];
    if (!action) throw new Error(`binding "${b.id}" names action "${b.action}" which module "${b.module}" does not have`);
    if (action.hook !== b.hook) throw new Error(`binding "${b.id}" connects hook ${b.hook} to action "${b.action}", which is written for ${action.hook}`);
    out.push({ ...b, handler: action.handler as HookHandler, check: action.check as HookCheck | undefined });
  }
  return out.sort((a, b) => a.priority - b.priority || a.id.localeCompare(b.id));
}

export class HookDispatcher {
  private readonly byHook = new Map<HookName, ResolvedBinding[]>();

  constructor(private readonly kernel: () => Kernel, readonly bindings: ResolvedBinding[]) {
    for (const b of bindings) {
      const list = this.byHook.get(b.hook) ?? [];
      list.push(b);
      this.byHook.set(b.hook, list);
    }
  }

  /** Every hook in the catalogue with its kind, answer convention, WHMCS's variables and the connector's additions. */
  catalogue(): { name: string; kind: string; answer: string; group: string; description: string; whmcsVars: readonly string[]; connector: readonly { name: string; from: string }[] }[] {
    return Object.entries(HOOKS).map(([name, s]) => ({
      name, kind: s.kind, answer: s.answer, group: s.group, description: s.description,
      whmcsVars: (s as HookSpec).whmcsVars ?? [], connector: (s as HookSpec).connector ?? [],
    }));
  }

  /**
   * Validates a hook's variables at the edge: unknown hook → 404, bad vars → 400 naming them, health data → 422.
   * Secrets a panel sends (ClientAdd's plain password, card data) are dropped here and go no further.
   */
  validate(name: string, raw: unknown, profile?: PrivacyProfile): { hook: HookName; vars: Record<string, unknown> } {
    if (!isHookName(name)) throw new SuiteError('SUITE_HOOK_UNKNOWN', { hook: name });
    refuseHealthData(raw, profile); // SP-9: before parsing, which would drop unknown (health-named) variables
    const parsed = hookSpecOf(name).vars.safeParse(raw ?? {});
    if (!parsed.success) throw validationError(zodIssues(parsed.error.issues, 'vars'));
    const vars = { ...(parsed.data as Record<string, unknown>) };
    for (const k of Object.keys(vars)) {
      if (SECRET_FIELDS.has(k)) delete vars[k];
    }
    return { hook: name, vars };
  }

  /** Fills in a call context from what a caller passed. */
  async context(input: CallInput): Promise<CallContext> {
    const brand = typeof input.brand === 'string' ? await this.kernel().brands.get(input.brand) : input.brand;
    return {
      brand, ip: input.ip, userAgent: input.userAgent, gpc: input.gpc ?? false, locale: input.locale ?? 'en',
      actor: input.actor ?? 'in-process', requestId: input.requestId ?? crypto.randomUUID(),
    };
  }

  /**
   * Resolves, outside any transaction, what a hook call needs: the bindings switched on for the brand, each with
   * its module's settings and the brand's profile. (SQLite has one connection: nothing may query beside a transaction.)
   */
  async prepare(hook: HookName, call: CallContext): Promise<PreparedCall> {
    const k = this.kernel();
    await k.keyring.activeKeyId();
    const profile = await k.brands.profile(call.brand);
    const handlers: PreparedCall['handlers'] = [];
    for (const b of this.byHook.get(hook) ?? []) {
      if (!(await k.modules.enabledFor(k.brands, call.brand, b.module))) continue;
      if (!(await k.brands.isEnabled(call.brand.id, 'binding', b.id, b.enabledByDefault))) continue;
      handlers.push({ binding: b, settings: await k.settings(b.module, call.brand) });
    }
    return { hook, call, profile, handlers };
  }

  /** Runs the enabled actions' checks, before any transaction opens: a refusal throws (400, nothing written). */
  async check(p: PreparedCall, vars: Record<string, unknown>): Promise<void> {
    for (const h of p.handlers) {
      if (!h.binding.check) continue;
      const k = this.kernel();
      await h.binding.check({ hook: p.hook, vars: vars as HookVars<HookName>, brand: p.call.brand, profile: p.profile, call: p.call, kernel: k, db: k.db });
    }
  }

  private handlerContext(p: PreparedCall, h: PreparedCall['handlers'][number], vars: Record<string, unknown>, trx: Knex.Transaction) {
    const k = this.kernel();
    const { hook, call } = p;
    let log: Kernel['log'] | undefined;
    return {
      hook, vars: vars as HookVars<HookName>, brand: call.brand, profile: p.profile, settings: h.settings as Record<string, unknown>,
      call, trx, kernel: k,
      // The child logger is made on first use: most handlers never log, and a pino child with redaction is not free.
      get log() { return (log ??= k.log.child({ hook, binding: h.binding.id, requestId: call.requestId })); },
      t: (key: string, params?: Record<string, string | number>) => translate(call.locale, key, params),
    };
  }


  /** Runs a pre hook's handlers inside the caller's transaction. The caller must roll back when `vetoed` is true. */
  async runPre(p: PreparedCall, vars: Record<string, unknown>, trx: Knex.Transaction): Promise<HookResult> {
    const { hook } = p;
    const spec = hookSpecOf(hook);
    const result: HookResult = { ok: true, vetoed: false, failures: 0 };
    const errors: string[] = [];
    for (const h of p.handlers) {
      const b = h.binding;
      let ans: HookAnswer | void;
      try {
        ans = await b.handler(this.handlerContext(p, h, vars, trx));
      } catch (err) {
        if (isRetryableConflict(err)) throw err; // the whole call runs again (see run)
        this.kernel().log.error({ hook, binding: b.id, code: (err as SuiteError).code ?? (err as Error).name }, 'pre-hook handler failed');
        if (err instanceof SuiteError) throw err;
        throw new SuiteError('SUITE_HOOK_HANDLER_FAILED', { hook, binding: b.id });
      }
      if (!ans) continue;
      if (ans.data) result.data = { ...(result.data ?? {}), ...ans.data };
      if (spec.answer === 'errors' && ans.errors?.length) errors.push(...ans.errors);
      if (spec.answer === 'abortsend' && ans.mergefields) result.mergefields = { ...(result.mergefields ?? {}), ...ans.mergefields };
      if (spec.answer === 'abort' && ans.abortWithError) { result.abortWithError = ans.abortWithError; break; }
      if (spec.answer === 'abort' && ans.abortWithSuccess) { result.abortWithSuccess = true; break; }
      if (spec.answer === 'abortsend' && ans.abortsend) { result.abortsend = true; break; }
    }
    if (errors.length) result.errors = errors;
    result.vetoed = Boolean(errors.length || result.abortWithError);
    return result;
  }

  /** Runs an after hook's handlers, each in a savepoint of `trx`; failures are recorded and counted, never thrown. */
  async runAfter(p: PreparedCall, vars: Record<string, unknown>, trx: Knex.Transaction): Promise<HookResult> {
    const result: HookResult = { ok: true, vetoed: false, failures: 0 };
    for (const h of p.handlers) {
      try {
        const ans = await trx.transaction(async (sp) => h.binding.handler(this.handlerContext(p, h, vars, sp)));
        if (ans && ans.data) result.data = { ...(result.data ?? {}), ...ans.data };
      } catch (err) {
        // A deadlock victim's transaction is rolled back whole by MySQL, savepoints included: the call runs again.
        if (isRetryableConflict(err)) throw err;
        result.failures += 1;
        await this.recordFailure(p, h.binding, err, trx);
      }
    }
    return result;
  }

  /** Logs an after-handler failure and records it for the admin (hook_failures) in `trx`. */
  private async recordFailure(p: PreparedCall, b: ResolvedBinding, err: unknown, trx: Knex.Transaction): Promise<void> {
    const { hook, call } = p;
    const code = err instanceof SuiteError ? err.code : (err as Error).name || 'Error';
    this.kernel().log.error({ hook, binding: b.id, code, requestId: call.requestId }, 'after-hook handler failed; recorded for the admin');
    await trx('hook_failures').insert({
      brand_id: call.brand.id, hook, binding: b.id, code, message: safeMessage(err), request_id: call.requestId, created_at: Date.now(),
    });
  }


  /**
   * Runs a hook end to end in its own transaction (the in-process API, also used by the HTTP route).
   * `beforeCommit` runs inside the transaction when the call is accepted (the HTTP route stores its idempotency record there).
   */
  async run(name: string, rawVars: unknown, input: CallInput, opts: RunOptions = {}): Promise<HookResult & { vars: Record<string, unknown> }> {
    const call = await this.context(input);
    const k = this.kernel();
    const { hook, vars } = this.validate(name, rawVars, await k.brands.profile(call.brand));
    const prepared = await this.prepare(hook, call);
    const pristine = dialectOfKnex(k.db) === 'mysql' ? cloneVars(vars) : undefined;
    await this.check(prepared, vars);
    if (!pristine) return this.attempt(prepared, vars, opts);
    // MySQL/MariaDB may choose the call's transaction as a deadlock victim: it runs again from the start, the
    // idempotency record (beforeCommit) included, on a fresh copy of the variables (pre handlers may change them).
    let n = 0;
    return retryOnConflict(() => this.attempt(prepared, n++ === 0 ? vars : cloneVars(pristine)!, opts), {
      onRetry: (attempt) => k.log.warn({ hook, attempt, requestId: call.requestId }, 'hook transaction deadlocked; running it again'),
    });
  }

  /** One attempt at a hook call: its transaction (or, for a failed single after handler, the two). */
  private async attempt(prepared: PreparedCall, vars: Record<string, unknown>, opts: RunOptions): Promise<HookResult & { vars: Record<string, unknown> }> {
    const k = this.kernel();
    const spec = hookSpecOf(prepared.hook);
    let result: HookResult | undefined;
    // An after hook with one handler runs it straight in the transaction, without a savepoint (two round trips
    // fewer per call on MySQL). If it fails, that transaction is rolled back and a new one records the failure and
    // commits the rest (the caller's beforeCommit) — the same outcome as rolling back to the handler's savepoint.
    const single = spec.kind === 'after' && prepared.handlers.length === 1 ? prepared.handlers[0] : undefined;
    try {
      await k.db.transaction(async (trx) => {
        if (single) {
          let ans: HookAnswer | void;
          try {
            ans = await single.binding.handler(this.handlerContext(prepared, single, vars, trx));
          } catch (err) {
            throw isRetryableConflict(err) ? err : new AfterHandlerFailed(err);
          }
          result = { ok: true, vetoed: false, failures: 0 };
          if (ans && ans.data) result.data = { ...ans.data };
        } else {
          result = spec.kind === 'pre' ? await this.runPre(prepared, vars, trx) : await this.runAfter(prepared, vars, trx);
        }
        if (result.vetoed) throw new Veto();
        await opts.beforeCommit?.(trx, result);
      });
    } catch (err) {
      if (err instanceof AfterHandlerFailed && single) {
        const failed: HookResult = { ok: true, vetoed: false, failures: 1 };
        await k.db.transaction(async (trx) => {
          await this.recordFailure(prepared, single.binding, err.cause, trx);
          await opts.beforeCommit?.(trx, failed);
        });
        result = failed;
      } else if (!(err instanceof Veto)) throw err;
    }
    return { ...result!, vars };
  }
}
