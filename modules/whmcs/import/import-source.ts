/** The brand's WHMCS API for the import: profile modules.whmcs (apiUrl, identifier) and the secret's variable; a gap is named. */
import type { Brand } from '../../../core/brands/brand';
import { SuiteError } from '../../../core/errors';
import { moduleSettings } from '../../../core/profile/module-settings';
import type { PrivacyProfile } from '../../../core/profile/schema';
import type { WhmcsApi } from '../api-client';
import { secretVariables, WhmcsSettings } from '../settings';

/** Where and as whom to read; throws SUITE_WHMCS_NOT_CONFIGURED naming every missing setting or variable. */
export function importApi(brand: Brand, profile: PrivacyProfile, env: NodeJS.ProcessEnv = process.env): WhmcsApi {
  const s = moduleSettings(WhmcsSettings, profile, 'whmcs');
  const [own, shared] = secretVariables(brand.slug);
  const secret = env[own] || env[shared];
  const missing = [
    s.apiUrl ? null : 'profile modules.whmcs.apiUrl',
    s.identifier ? null : 'profile modules.whmcs.identifier',
    secret ? null : `environment ${own} (or ${shared})`,
  ].filter((x): x is string => x !== null);
  if (missing.length) throw new SuiteError('SUITE_WHMCS_NOT_CONFIGURED', { brand: brand.slug, missing: missing.join(', ') });
  return { apiUrl: s.apiUrl!, identifier: s.identifier!, secret: secret!, timeoutMs: s.timeoutSeconds * 1000 };
}
