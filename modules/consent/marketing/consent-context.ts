/** What consent operations run with: the kernel, the caller's transaction, the brand and its profile, request facts. */
import type { Knex } from 'knex';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import type { ConsentEvent } from '../ledger/consent-event';

/** A consent operation's context; every read and write goes through `trx`. */
export interface ConsentContext {
  kernel: Kernel;
  trx: Knex.Transaction;
  brand: Brand;
  profile: PrivacyProfile;
  ip?: string;
  userAgent?: string;
  /** The medium the person acted through (web page, panel hook, API, email link, written request). */
  via?: ConsentEvent['channel'];
  /** The person's language: which version of a policy document they were shown (default the brand's). */
  locale?: string;
}
