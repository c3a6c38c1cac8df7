/** The platform's coded errors: a refused state change, and a hook veto carrying the handlers' answers. */
import { SuiteError, fieldIssue, type ModuleErrors } from '../../core/errors';
import { t } from '../../core/i18n';
import type { HookResult } from '../../core/hooks/dispatcher';

/** platform's codes and their HTTP statuses (a public contract): declared in the definition, registered at load. */
export const PLATFORM_ERRORS = {
  SUITE_PLATFORM_STATE: 409,
  SUITE_PLATFORM_VETOED: 422,
} as const satisfies ModuleErrors;

type PlatformErrorCodes = typeof PLATFORM_ERRORS;

declare module '../../core/errors' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds the platform module's codes to the catalogue's type
  interface ErrorCodes extends PlatformErrorCodes {}
}

type Params = Record<string, string | number>;

/** Each lang key of `keyed` read in `locale`. */
function translated(locale: string, keyed: Record<string, string>): Params {
  return Object.fromEntries(Object.entries(keyed).map(([name, key]) => [name, t(locale, key)]));
}

/**
 * A platform error some of whose params are lang keys (`keyed`): its message (English, for logs) and its HTTP answer
 * (`toJSON(locale)`) each read them in their own language, so a customer is told in theirs what was refused and why.
 */
class PlatformError extends SuiteError {
  constructor(code: 'SUITE_PLATFORM_STATE' | 'SUITE_PLATFORM_VETOED', private readonly keyed: Record<string, string>, params: Params = {}, fields?: ReturnType<typeof fieldIssue>[]) {
    super(code, { ...params, ...translated('en', keyed) }, fields);
  }

  override toJSON(locale = 'en'): Record<string, unknown> {
    return { ...super.toJSON(locale), error: t(locale, `errors.${this.code}`, { ...this.params, ...translated(locale, this.keyed) }) };
  }
}

/** SUITE_PLATFORM_STATE with the action and reason read from lang (`platform.what.*`, `platform.reason.*`). */
export function stateError(what: string, reason: string): SuiteError {
  return new PlatformError('SUITE_PLATFORM_STATE', { what: `platform.what.${what}`, reason: `platform.reason.${reason}` });
}

/**
 * SUITE_PLATFORM_VETOED carrying each error (or the abort message) the pre-hook handlers answered: those come in the
 * call's language already (handlers use ctx.t); without any, the answer says in the caller's language that a handler refused.
 */
export function vetoError(hook: string, result: HookResult): SuiteError {
  const errors = result.errors?.length ? result.errors : result.abortWithError ? [result.abortWithError] : [];
  if (!errors.length) return new PlatformError('SUITE_PLATFORM_VETOED', { reason: 'platform.reason.vetoed' }, { hook }, [fieldIssue(hook, 'platform.reason.vetoed')]);
  return new SuiteError('SUITE_PLATFORM_VETOED', { reason: errors.join('; '), hook }, errors.map((message) => ({ field: hook, message })));
}
