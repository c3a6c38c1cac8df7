/** The platform's coded errors: a refused state change, and a hook veto carrying the handlers' answers. */
import { SuiteError } from '../../core/errors';
import { t } from '../../core/i18n';
import type { HookResult } from '../../core/hooks/dispatcher';

/** SUITE_PLATFORM_STATE with the action and reason read from lang (`platform.what.*`, `platform.reason.*`). */
export function stateError(what: string, reason: string): SuiteError {
  return new SuiteError('SUITE_PLATFORM_STATE', { what: t('en', `platform.what.${what}`), reason: t('en', `platform.reason.${reason}`) });
}

/** SUITE_PLATFORM_VETOED carrying each error (or the abort message) the pre-hook handlers answered. */
export function vetoError(hook: string, result: HookResult): SuiteError {
  const errors = result.errors?.length ? result.errors : [result.abortWithError ?? t('en', 'platform.reason.vetoed')];
  return new SuiteError('SUITE_PLATFORM_VETOED', { reason: errors.join('; '), hook }, errors.map((message) => ({ field: hook, message })));
}
