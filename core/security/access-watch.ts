/**
 * MS-10 / WSM-23: watched for attacks. Every failed authentication (a hook or signed-endpoint signature, an admin API
 * key, a log-in) is one call to `failure()`, counted in the database per IP and fixed window so that every instance
 * counts together. The first failure of a kind (source and brand) in a window writes an `auth.failed` audit entry;
 * reaching the threshold writes ONE `unusual-access` audit entry for that IP and window (a unique key decides which
 * instance writes it) and an alert for `GET /api/v1/admin/alerts`. Counters key the IP by its keyed hash; the alert
 * and its audit entry name the IP itself, as security data (what an admin blocks), and nothing personal besides.
 */
import type { Knex } from 'knex';
import type { Kernel } from '../kernel';
import { isUniqueViolation } from '../db/unique-violation';

/** Where an authentication failed. */
export type AccessFailureSource = 'hook-signature' | 'signed-endpoint' | 'api-key' | 'login';

/** One failed authentication; `code`, `target*` and `actor` go into the audit entry (no personal data). */
export interface AccessFailure {
  source: AccessFailureSource;
  ip: string | undefined;
  /** The brand the attempt named, when it named one that exists. */
  brandId?: number | null;
  code: string;
  targetType: string;
  targetId: string;
  /** The anonymous actor of the audit entry: 'hook-api', 'admin-api', 'signed-endpoint', 'login', … */
  actor: string;
}

/** What recording a failure did. */
export interface AccessFailureOutcome { failures: number; audited: boolean; alerted: boolean }

/** An unusual-access alert as the admin API lists it (failures, sources and brands limited to the caller's brands). */
export interface AccessAlert {
  id: number; ip: string; windowStart: number; windowSeconds: number; threshold: number; createdAt: number;
  failures: number; sources: Partial<Record<AccessFailureSource, number>>; brandIds: number[];
}

/** How long alerts (and the counters behind them) are kept. */
const ALERT_KEEP_MS = 90 * 86_400_000;


type WatchKernel = Pick<Kernel, 'db' | 'audit' | 'keyring' | 'log'>;

export class AccessWatch {
  /** The clock (tests move it); windows are fixed: [k·window, (k+1)·window). */
  clock: () => number = Date.now;
  private lastPrune = 0;

  constructor(private readonly kernel: WatchKernel, readonly threshold: number, readonly windowMs: number) {}

  /** Records one failed authentication. Never throws: a watch that cannot write must not change the caller's answer. */
  async failure(f: AccessFailure): Promise<AccessFailureOutcome> {
    try {
      const out = await this.kernel.db.transaction((trx) => this.count(trx, f));
      if (out.audited) await this.prune();
      return out;
    } catch (err) {
      this.kernel.log.error({ code: (err as { code?: string }).code ?? (err as Error).name, source: f.source }, 'could not record a failed authentication');
      return { failures: 0, audited: false, alerted: false };
    }
  }

  private async count(trx: Knex.Transaction, f: AccessFailure): Promise<AccessFailureOutcome> {
    const now = this.clock();
    const ip = f.ip || 'unknown';
    const windowStart = now - (now % this.windowMs);
    const ipHash = this.kernel.keyring.blindIndex(ip, 'ip');
    const key = { ip_hash: ipHash, window_start: windowStart, source: f.source, brand_id: f.brandId ?? 0 };
    await trx('access_failures').insert({ ...key, failures: 1, last_at: now })
      .onConflict(['ip_hash', 'window_start', 'source', 'brand_id']).merge({ failures: trx.raw('?? + 1', ['failures']), last_at: now });
    const mine = (await trx('access_failures').where(key).first('failures')) as { failures: number | string };
    const window = trx('access_failures').where({ ip_hash: ipHash, window_start: windowStart });
    const total = Number(((await window.clone().sum({ n: 'failures' }).first()) as { n: number | string }).n);
    const audited = Number(mine.failures) === 1;
    if (audited) {
      await this.kernel.audit.record({
        brandId: f.brandId ?? null, actor: { type: 'anonymous', id: f.actor }, action: 'auth.failed', targetType: f.targetType,
        targetId: f.targetId.slice(0, 190), details: { code: f.code, source: f.source }, ip: f.ip,
      }, trx);
    }
    if (total < this.threshold || (await trx('access_alerts').where({ ip_hash: ipHash, window_start: windowStart }).first('id'))) {
      return { failures: total, audited, alerted: false };
    }
    try {
      await trx.transaction((sp) => sp('access_alerts').insert({
        ip_hash: ipHash, window_start: windowStart, window_seconds: Math.round(this.windowMs / 1000), ip: ip.slice(0, 64), threshold: this.threshold, created_at: now,
      }));
    } catch (err) {
      if (isUniqueViolation(err)) return { failures: total, audited, alerted: false }; // another instance raised it
      throw err;
    }
    const rows = (await window.clone().select('source', 'brand_id', 'failures')) as { source: AccessFailureSource; brand_id: number; failures: number | string }[];
    const { sources, brandIds } = summarise(rows);
    await this.kernel.audit.record({
      brandId: brandIds.length === 1 ? brandIds[0] : null, actor: { type: 'system', id: 'access-watch' }, action: 'unusual-access', targetType: 'ip',
      targetId: ip.slice(0, 190), ip: f.ip,
      details: { ip, failures: total, threshold: this.threshold, windowStart: new Date(windowStart).toISOString(), windowSeconds: Math.round(this.windowMs / 1000), sources, brands: brandIds },
    }, trx);
    return { failures: total, audited, alerted: true };
  }

  /** Alerts newest first; with `brandIds` only those whose failures named one of them, counting only those failures. */
  async alerts(opts: { brandIds: number[] | null; limit?: number }): Promise<AccessAlert[]> {
    const db = this.kernel.db;
    let q = db('access_alerts as a').orderBy('a.id', 'desc').limit(Math.min(Math.max(opts.limit ?? 100, 1), 500));
    if (opts.brandIds) {
      const scope = opts.brandIds;
      q = q.whereExists(db('access_failures as f').whereRaw('f.ip_hash = a.ip_hash and f.window_start = a.window_start').whereIn('f.brand_id', scope).select(db.raw('1')));
    }
    const alerts = (await q.select('a.*')) as { id: number; ip_hash: string; window_start: number | string; window_seconds: number; ip: string; threshold: number; created_at: number | string }[];
    if (!alerts.length) return [];
    let rq = db('access_failures').whereIn(['ip_hash', 'window_start'], alerts.map((a) => [a.ip_hash, Number(a.window_start)]));
    if (opts.brandIds) rq = rq.whereIn('brand_id', opts.brandIds);
    const rows = (await rq.select('ip_hash', 'window_start', 'source', 'brand_id', 'failures')) as { ip_hash: string; window_start: number | string; source: AccessFailureSource; brand_id: number; failures: number | string }[];
    return alerts.map((a) => {
      const mine = rows.filter((r) => r.ip_hash === a.ip_hash && Number(r.window_start) === Number(a.window_start));
      const { sources, brandIds, failures } = summarise(mine);
      return {
        id: Number(a.id), ip: a.ip, windowStart: Number(a.window_start), windowSeconds: Number(a.window_seconds), threshold: Number(a.threshold),
        createdAt: Number(a.created_at), failures, sources, brandIds,
      };
    });
  }

  /** Drops counters of past windows that raised no alert, and alerts past their keep period (at most once a window). */
  private async prune(): Promise<void> {
    const now = this.clock();
    if (now - this.lastPrune < this.windowMs) return;
    this.lastPrune = now;
    const db = this.kernel.db;
    await db('access_alerts').where('created_at', '<', now - ALERT_KEEP_MS).delete();
    await db('access_failures').where('window_start', '<', now - 2 * this.windowMs)
      .whereNotExists(db('access_alerts as a').whereRaw('a.ip_hash = access_failures.ip_hash and a.window_start = access_failures.window_start').select(db.raw('1')))
      .delete();
  }
}

function summarise(rows: { source: AccessFailureSource; brand_id: number; failures: number | string }[]): { sources: Partial<Record<AccessFailureSource, number>>; brandIds: number[]; failures: number } {
  const sources: Partial<Record<AccessFailureSource, number>> = {};
  const brands = new Set<number>();
  let failures = 0;
  for (const r of rows) {
    const n = Number(r.failures);
    failures += n;
    sources[r.source] = (sources[r.source] ?? 0) + n;
    if (Number(r.brand_id) !== 0) brands.add(Number(r.brand_id));
  }
  return { sources, brandIds: [...brands].sort((a, b) => a - b), failures };
}

const watches = new WeakMap<object, AccessWatch>();

/** The kernel's access watch (threshold and window from the config: SUITE_UNUSUAL_ACCESS_*). */
export function accessWatch(kernel: Kernel): AccessWatch {
  let w = watches.get(kernel);
  if (!w) watches.set(kernel, (w = new AccessWatch(kernel, kernel.config.unusualAccessThreshold, kernel.config.unusualAccessWindowSeconds * 1000)));
  return w;
}
