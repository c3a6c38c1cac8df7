/** Turns WHMCS's marketing variables into a choice and records it, with the brand's opt-in/opt-out default at sign-up (WSM-19). */
import type { CollectionPoint } from '../ledger/consent-event';
import { stateOf, subjectKey } from '../ledger/consent-ledger';
import { MarketingChannel, purposeOf } from '../marketing/channels';
import type { ConsentContext } from '../marketing/consent-context';
import { setPreference, type ChoiceSource } from '../marketing/preferences';
import { shownDocument } from './shown-version';

/** The WHMCS variables that carry an email marketing choice, and the privacy policy version shown beside it. */
export interface MarketingVars { emailoptout?: boolean; marketing_emails_opt_in?: boolean; isOptedInToMarketingEmails?: boolean; privacy_version_shown?: string }

/**
 * The email marketing choice the variables express: `emailoptout` wins, then the explicit opt-in flags.
 * `emailoptout: false` alone is WHMCS's default, not a choice. (`email_preferences[...]` are WHMCS's service-notice
 * categories — invoices, product, domain, support — which are transactional, MS-7.2, and are not marketing consent.)
 */
export function emailChoiceOf(v: MarketingVars): 'given' | 'withdrawn' | undefined {
  if (v.emailoptout === true) return 'withdrawn';
  const optIn = v.marketing_emails_opt_in ?? v.isOptedInToMarketingEmails;
  if (optIn === true) return 'given';
  if (optIn === false) return 'withdrawn';
  return undefined;
}

/**
 * Records what changed: an explicit email choice (grant, or withdrawal where there was something to withdraw), and at
 * sign-up on an opt-out brand the default subscription for every channel the brand offers (method 'default'). Each is
 * bound to the privacy policy version shown (`privacy_version_shown`), else the one in force in the person's language.
 */
export async function recordMarketingChoice(c: ConsentContext, subjectId: number, vars: MarketingVars, point: CollectionPoint, signUp: boolean): Promise<string[]> {
  const recorded: string[] = [];
  let documentId: number | undefined;
  const source = async (method: ChoiceSource['method']): Promise<ChoiceSource> => {
    documentId ??= (await shownDocument(c.trx, c.brand.id, 'privacy', vars.privacy_version_shown, c.locale ?? c.profile.locale, c.profile.locale))?.id;
    return { method, collectionPoint: point, documentId };
  };
  const state = await stateOf(c.trx, c.brand.id, subjectKey(c.kernel, c.brand.id, { subjectId }));
  const optOut = c.profile.consent.model === 'opt-out';
  const explicit = emailChoiceOf(vars);
  for (const channel of MarketingChannel.options) {
    const current = state[purposeOf(channel)];
    const choice = channel === 'email' ? explicit : undefined;
    if (choice === 'given') {
      if (current?.action === 'given' && current.method !== 'default') continue;
      const pending = await c.trx('consent_tokens').where({ brand_id: c.brand.id, subject_id: subjectId, purpose: purposeOf(channel) }).whereNull('used_at').andWhere('expires_at', '>', Date.now()).first('token_hash');
      if (pending) continue;
      recorded.push(`${purposeOf(channel)}:${(await setPreference(c, subjectId, channel, 'given', await source('checkbox'))).state}`);
    } else if (choice === 'withdrawn') {
      if (current?.action === 'withdrawn') continue;
      if (current?.action === 'given' || optOut) {
        recorded.push(`${purposeOf(channel)}:${(await setPreference(c, subjectId, channel, 'withdrawn', await source('checkbox'))).state}`);
      }
    } else if (signUp && optOut && !current && c.profile.consent.channels.includes(channel)) {
      recorded.push(`${purposeOf(channel)}:${(await setPreference(c, subjectId, channel, 'given', await source('default'))).state}`);
    }
  }
  return recorded;
}
