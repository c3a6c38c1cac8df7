/**
 * `whmcs import`: brings an existing WHMCS install into the suite's registers — clients, contacts, users (matched),
 * domains, paid invoices, the marketing opt-in history — through WHMCS's API, page by page. Each page is written in
 * one transaction together with the run's cursor, so a run stopped anywhere (WHMCS down, a crash, SIGTERM) resumes at
 * the page after the last committed one; a run over an unchanged WHMCS writes nothing.
 */
import crypto from 'node:crypto';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import { Leases } from '../../../core/scheduler/leases';
import type { ConsentService } from '../../consent/public';
import type { RegistrantService } from '../../registrant/public';
import { addonTarget, callAddon, type AddonTarget } from '../addon-api';
import { contactsPhase } from './import-contacts';
import { clientsPhase } from './import-clients';
import { PHASES, type ImportContext, type ImportPhase, type Phase, type PhaseCounts, type SourcePage } from './import-context';
import { domainsPhase } from './import-domains';
import { invoicesPhase } from './import-invoices';
import { optInHistoryPhase } from './import-optin';
import { importApi } from './import-source';
import { usersPhase } from './import-users';
import { loadRun, saveRun, startRun, type ImportRun } from './run-store';

const PHASE_IMPL: Record<Phase, ImportPhase<never>> = {
  clients: clientsPhase, contacts: contactsPhase, users: usersPhase, domains: domainsPhase, invoices: invoicesPhase, 'optin-history': optInHistoryPhase,
} as unknown as Record<Phase, ImportPhase<never>>;

export interface ImportOptions {
  /** The brand's slug. */
  brand: string;
  /** Start over from the first page even when an unfinished run could resume. */
  restart?: boolean;
  /** Rows per API page (WHMCS's `limitnum`). */
  pageSize?: number;
  /** Stops the run at the next page boundary (it resumes there on the next run). */
  signal?: AbortSignal;
  /** Called after each committed page. */
  onProgress?: (p: ImportProgress) => void;
  env?: NodeJS.ProcessEnv;
}

/** Where a run is: the phase, rows done in it, the total WHMCS reports (null when unknown). */
export interface ImportProgress { phase: Phase; done: number; total: number | null }

export interface ImportResult {
  ok: boolean; brand: string; resumed: boolean; state: 'done';
  phases: Record<Phase, PhaseCounts>;
  /** Pages written by this invocation. */
  pages: number; seconds: number; clientsPerSecond: number;
  /** What the run could not reach (the addon's opt-in history, a module switched off). */
  notReached: string[];
}

export const DEFAULT_PAGE_SIZE = 250;

/** The addon's history endpoint when it answers; otherwise why not. */
async function probeHistory(kernel: Kernel, brand: ImportContext['brand']): Promise<{ target: AddonTarget | null; why: string | null }> {
  try {
    const target = await addonTarget(kernel, brand);
    await callAddon(target, 'consent-history', { limitstart: 0, limitnum: 1 });
    return { target, why: null };
  } catch (err) {
    return { target: null, why: `marketing opt-in history: not reached (${(err as Error).message})` };
  }
}

/** A module's service when the module is loaded and on for the brand. */
async function serviceFor<T>(kernel: Kernel, brand: ImportContext['brand'], name: string): Promise<T | null> {
  if (!(await kernel.modules.enabledFor(kernel.brands, brand, name))) return null;
  try {
    return kernel.service<T>(name);
  } catch {
    return null;
  }
}

/** How long the brand's import lease lasts without renewal (it is renewed after every page). */
const LEASE_MS = 10 * 60_000;

/**
 * Runs (or resumes) the brand's import to the end; throws SUITE_WHMCS_IMPORT_FAILED, the run resumable, when a page
 * fails, and SUITE_WHMCS_IMPORT_RUNNING while another process imports the same brand (one run per brand: two would
 * share a cursor). The lease expires on its own if its holder dies.
 */
export async function importWhmcs(kernel: Kernel, opts: ImportOptions): Promise<ImportResult> {
  const brand = await kernel.brands.get(opts.brand);
  const profile = await kernel.brands.profile(brand);
  const api = importApi(brand, profile, opts.env); // a brand that cannot import is refused before anything is written
  const leases = new Leases(kernel.db, `import-${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
  const lease = `whmcs-import:${brand.id}`;
  if (!(await leases.acquire(lease, LEASE_MS))) throw new SuiteError('SUITE_WHMCS_IMPORT_RUNNING', { brand: brand.slug });
  try {
    return await importLeased(kernel, opts, { brand, profile, api }, () => leases.renew(lease, LEASE_MS));
  } finally {
    await leases.release(lease);
  }
}

async function importLeased(kernel: Kernel, opts: ImportOptions, target: Pick<ImportContext, 'brand' | 'profile' | 'api'>, renew: () => Promise<boolean>): Promise<ImportResult> {
  const { brand, profile, api } = target;
  const pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
  const began = Date.now();
  await kernel.keyring.activeKeyId();
  const previous = await loadRun(kernel.db, brand.id);
  const resumed = Boolean(previous && previous.state !== 'done' && !opts.restart);
  let run: ImportRun;
  let history: AddonTarget | null = null;
  if (resumed) {
    run = previous!;
    if (!run.notReached) history = await addonTarget(kernel, brand);
  } else {
    const probe = await probeHistory(kernel, brand);
    history = probe.target;
    run = await startRun(kernel.db, brand.id, probe.why);
  }
  const consent = await serviceFor<ConsentService>(kernel, brand, 'consent');
  const notReached = [run.notReached, consent ? null : 'marketing opt-in: the consent module is off for this brand'].filter((x): x is string => Boolean(x));
  const ctx: ImportContext = { kernel, brand, profile, api, pageSize, history, consent, registrant: await serviceFor<RegistrantService>(kernel, brand, 'registrant') };
  run = { ...run, state: 'running', lastError: null };
  await saveRun(kernel.db, run);
  let pages = 0;
  let clients = 0;
  for (let i = PHASES.indexOf(run.phase as Phase); i >= 0 && i < PHASES.length; i++) {
    const phase = PHASES[i];
    if (run.phase !== phase) {
      run = { ...run, phase, cursor: 0 };
      await saveRun(kernel.db, run);
    }
    const source = PHASE_IMPL[phase].open(ctx, run.cursor);
    // The next page is read while this one is written (WHMCS and the database work at the same time).
    const read = (): Promise<SourcePage<never>> => {
      const p = source.next();
      p.catch(() => undefined); // awaited below; a page not awaited (the run stopped) must not be an unhandled rejection
      return p;
    };
    for (let ahead: Promise<SourcePage<never>> | null = read(); ahead;) {
      if (opts.signal?.aborted) throw await failed(kernel, run, brand.slug, new Error('stopped on request'));
      let next: ImportRun;
      let total: number | null;
      try {
        const page: SourcePage<never> = await ahead;
        if (!page.rows.length) break;
        total = page.total;
        next = { ...run, cursor: run.cursor + page.rows.length, counts: structuredClone(run.counts) };
        ahead = total === null || next.cursor < total ? read() : null;
        await kernel.db.transaction(async (trx) => {
          const c = await PHASE_IMPL[phase].write(ctx, trx, page.rows);
          add(next.counts[phase], { seen: page.rows.length, written: c.written, unchanged: c.unchanged, skipped: c.skipped }, true);
          if (c.also) add(next.counts[c.also.phase], c.also.counts, false);
          await saveRun(trx, next);
        });
      } catch (err) {
        throw await failed(kernel, run, brand.slug, err);
      }
      if (phase === 'clients') clients += next.cursor - run.cursor;
      run = next;
      pages++;
      await renew();
      opts.onProgress?.({ phase, done: run.cursor, total });
    }
  }
  run = { ...run, phase: 'done', cursor: 0, state: 'done', finishedAt: Date.now() };
  await saveRun(kernel.db, run);
  const seconds = (Date.now() - began) / 1000;
  return { ok: true, brand: brand.slug, resumed, state: 'done', phases: run.counts, pages, seconds, clientsPerSecond: seconds > 0 ? Math.round(clients / seconds) : 0, notReached };
}

function add(into: PhaseCounts, c: Omit<PhaseCounts, 'pages'>, page: boolean): void {
  into.seen += c.seen;
  into.written += c.written;
  into.unchanged += c.unchanged;
  into.skipped += c.skipped;
  if (page) into.pages += 1;
}

/** Marks the run failed (its cursor stays at the last committed page) and answers the error to throw. */
async function failed(kernel: Kernel, run: ImportRun, brand: string, err: unknown): Promise<SuiteError> {
  const reason = (err instanceof Error ? err.message : String(err)).slice(0, 400);
  await saveRun(kernel.db, { ...run, state: 'failed', lastError: reason });
  return new SuiteError('SUITE_WHMCS_IMPORT_FAILED', { brand, phase: run.phase, reason });
}
