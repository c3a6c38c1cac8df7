/** The policy document kinds and the ledger purpose a person's acceptance or rejection of each is filed under. */
import { z } from 'zod';
import type { ConsentPurpose } from '../ledger/consent-event';
import type { DocumentKind as Kind } from './current-document';

/** terms, privacy, cookies or dpa. */
export const DocumentKind = z.enum(['terms', 'privacy', 'cookies', 'dpa']);

const PURPOSE: Record<Kind, ConsentPurpose> = { terms: 'terms', privacy: 'privacy', cookies: 'cookies-policy', dpa: 'dpa' };

/** The ledger purpose for a document kind (the cookie policy is filed as 'cookies-policy', apart from cookie categories). */
export function purposeOfKind(kind: Kind): ConsentPurpose {
  return PURPOSE[kind];
}
