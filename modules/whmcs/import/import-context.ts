/**
 * What every import phase works with: the brand, its profile, WHMCS's API and (when it answered at the start of the
 * run) the addon's opt-in history, and the services of other modules it writes through (only their public files).
 */
import type { Knex } from 'knex';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import type { ConsentService } from '../../consent/public';
import type { RegistrantService } from '../../registrant/public';
import type { AddonTarget } from '../addon-api';
import type { WhmcsApi } from '../api-client';

/** The phases, in the order a run goes through them (contacts need their clients, events need the subjects). */
export const PHASES = ['clients', 'contacts', 'users', 'domains', 'invoices', 'optin-history'] as const;
export type Phase = (typeof PHASES)[number];

/** What one phase did: rows read, rows that changed the register, rows already as WHMCS has them, rows left out. */
export interface PhaseCounts { seen: number; written: number; unchanged: number; skipped: number; pages: number }

export const emptyCounts = (): PhaseCounts => ({ seen: 0, written: 0, unchanged: 0, skipped: 0, pages: 0 });

export interface ImportContext {
  kernel: Kernel;
  brand: Brand;
  profile: PrivacyProfile;
  api: WhmcsApi;
  pageSize: number;
  /** The addon's endpoint when its opt-in history answered at the start of the run; null: a snapshot of the current state instead. */
  history: AddonTarget | null;
  consent: ConsentService | null;
  /** The registrant's service when that module is on for the brand (domains go into its register). */
  registrant: RegistrantService | null;
}

/** What writing one page changed (added to the phase's counts with the cursor, in the page's transaction). */
export type PageCounts = Pick<PhaseCounts, 'written' | 'unchanged' | 'skipped'> & {
  /** Counts of another phase's work done with this page (the clients' opt-in snapshots count under optin-history). */
  also?: { phase: Phase; counts: Omit<PageCounts, 'also'> & { seen: number } };
};

/** One page read from WHMCS: its rows and the total WHMCS reports (null when it does not say). */
export interface SourcePage<T> { rows: T[]; total: number | null }

/** A phase: reads pages from `cursor` on (outside any transaction), writes each page inside the page's transaction. */
export interface ImportPhase<T> {
  open: (ctx: ImportContext, cursor: number) => { next: () => Promise<SourcePage<T>> };
  write: (ctx: ImportContext, trx: Knex.Transaction, rows: T[]) => Promise<PageCounts>;
}
