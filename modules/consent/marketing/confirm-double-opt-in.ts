/** Confirms a double opt-in token: records the grant with method 'double-opt-in', bound to the version shown at sign-up, and spends the token. */
import { SuiteError } from '../../../core/errors';
import { verifySignedLink } from '../../../core/links/signed-link';
import { MarketingChannel } from './channels';
import type { ConsentContext } from './consent-context';
import { CONFIRM_LINK_PURPOSE, signedPartOf, tokenHash } from './double-opt-in';
import { setPreference, type ChoiceResult } from './preferences';

/** Confirms `token` for the context's brand; an unknown, used, expired or foreign token is SUITE_LINK_INVALID. */
export async function confirmDoubleOptIn(c: ConsentContext, token: string): Promise<ChoiceResult & { subjectId: number; channel: MarketingChannel }> {
  const claims = verifySignedLink(c.kernel, signedPartOf(token), CONFIRM_LINK_PURPOSE);
  if (claims.brandId !== c.brand.id) throw new SuiteError('SUITE_LINK_INVALID');
  const row = (await c.trx('consent_tokens').where({ token_hash: tokenHash(token), brand_id: c.brand.id }).first()) as { subject_id: number; purpose: string; expires_at: number; used_at: number | null; document_id: number | null } | undefined;
  if (!row || row.used_at !== null || Number(row.expires_at) <= Date.now() || Number(row.subject_id) !== claims.subjectId) throw new SuiteError('SUITE_LINK_INVALID');
  const channel = MarketingChannel.parse(row.purpose.replace(/^marketing:/, ''));
  await c.trx('consent_tokens').where({ token_hash: tokenHash(token) }).update({ used_at: Date.now() });
  const result = await setPreference(c, claims.subjectId, channel, 'given', { method: 'double-opt-in', collectionPoint: 'newsletter', documentId: row.document_id === null ? undefined : Number(row.document_id) });
  return { ...result, subjectId: claims.subjectId, channel };
}
