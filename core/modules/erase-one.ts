/** One erasure implementation for one subject and many (as Directus' deleteOne calls deleteMany): `erase(id)` is `eraseMany([id])`. */
import type { PrivacyProfile } from '../profile/schema';
import type { EraseOutcome, PersonalDataProvider } from './define-module';

type EraseManyContext = Parameters<NonNullable<PersonalDataProvider['eraseMany']>>[1];

/** A provider's `eraseMany` that also serves its `erase`, whose caller may pass no profile. */
export type EraseMany = (subjectIds: number[], ctx: Omit<EraseManyContext, 'profile'> & { profile?: PrivacyProfile }) => Promise<Map<number, EraseOutcome>>;

/** The provider's `erase`: its `eraseMany` of the one subject (a subject it holds nothing of: 0 erased, nothing kept). */
export function eraseOne(eraseMany: EraseMany): PersonalDataProvider['erase'] {
  return async (subjectId, ctx) => {
    const r = (await eraseMany([subjectId], ctx)).get(subjectId);
    return { erased: r?.erased ?? 0, kept: r?.kept ?? [] };
  };
}
