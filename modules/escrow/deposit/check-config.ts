/**
 * Checks a brand's escrow settings before a deposit writes anything: the fields a deposit needs, the recipient in the
 * profile's register, and the environment variables the settings name. Each problem names its field.
 */
import { fieldIssue, SuiteError, validationError, type FieldIssue } from '../../../core/errors';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { requireTransfer } from '../../../core/registers/processing-register';
import type { EscrowSettings } from '../settings';

const FIELD = 'profile.modules.escrow';

/** Settings a deposit can run with (the optional fields it needs are present). */
export type ReadySettings = EscrowSettings & { ianaId: number; agentPublicKeyFile: string; signingKeyFile: string };

/** Throws SUITE_VALIDATION_FAILED naming every field that stops a deposit. */
export function checkDepositConfig(s: EscrowSettings, profile: PrivacyProfile, env: NodeJS.ProcessEnv = process.env): ReadySettings {
  const issues: FieldIssue[] = [];
  const missing = (f: string): void => { issues.push(fieldIssue(`${FIELD}.${f}`, 'validation.escrow.required')); };
  if (!s.ianaId) missing('ianaId');
  if (!s.agentPublicKeyFile) missing('agentPublicKeyFile');
  if (!s.signingKeyFile) missing('signingKeyFile');
  if (s.delivery === 'directory' && !s.directory) missing('directory');
  if (s.delivery === 'sftp') {
    if (!s.sftp) missing('sftp');
    else {
      const vars = [['passwordVar', s.sftp.passwordVar], ['privateKeyVar', s.sftp.privateKeyVar]] as const;
      if (!vars.some(([, v]) => v)) missing('sftp.passwordVar');
      for (const [f, v] of vars) if (v && !env[v]) issues.push(fieldIssue(`${FIELD}.sftp.${f}`, 'validation.escrow.envMissing'));
    }
  }
  try {
    requireTransfer(profile, s.recipient, s.purpose);
  } catch (err) {
    if (!(err instanceof SuiteError)) throw err;
    issues.push(fieldIssue(`${FIELD}.${err.code === 'SUITE_RECIPIENT_UNKNOWN' ? 'recipient' : 'purpose'}`, 'validation.escrow.recipientNotRegistered', { recipient: s.recipient, purpose: s.purpose }));
  }
  if (issues.length) throw validationError(issues);
  return s as ReadySettings;
}
