/** The audit log: every admin action, every read of personal data through the admin API, every toggle. Hash-chained. */
import type { Knex } from 'knex';
import { HashChain } from '../chain/hash-chain';

/** Who did something: an API key, the CLI, the system (jobs), or a hook call. */
export interface Actor { type: 'apikey' | 'user' | 'cli' | 'system' | 'hook' | 'anonymous'; id: string }

/**
 * One audit entry; `details` must never hold personal data (ids and field names only). The one exception is an
 * `unusual-access` entry, which names the IP it is about: security data an admin acts on (core/security/access-watch.ts).
 */
export interface AuditEntry {
  brandId?: number | null;
  actor: Actor;
  action: string;
  targetType?: string;
  targetId?: string | number;
  details?: Record<string, unknown>;
  ip?: string;
}

export const auditChain = new HashChain('audit_log', ['brand_id', 'actor', 'action', 'target_type', 'target_id', 'details', 'ip_hash']);

/** Writes audit entries inside the caller's transaction. */
export class AuditLog {
  constructor(private readonly db: Knex, private readonly hashIp: (ip: string) => string) {}

  /** Appends an entry (in `trx` if given, otherwise in its own transaction). */
  async record(entry: AuditEntry, trx?: Knex.Transaction): Promise<void> {
    const row = {
      brand_id: entry.brandId ?? null,
      actor: `${entry.actor.type}:${entry.actor.id}`,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId === undefined ? null : String(entry.targetId),
      details: entry.details ? JSON.stringify(entry.details) : null,
      ip_hash: entry.ip ? this.hashIp(entry.ip) : null,
    };
    if (trx) await auditChain.append(trx, row);
    else await this.db.transaction((t) => auditChain.append(t, row));
  }

  /** Lists entries newest first, optionally limited to some brands. */
  async list(opts: { brandIds?: number[] | null; action?: string; limit?: number; beforeSeq?: number }): Promise<Record<string, unknown>[]> {
    let q = this.db('audit_log').orderBy('seq', 'desc').limit(Math.min(opts.limit ?? 100, 1000));
    if (opts.brandIds) q = q.whereIn('brand_id', opts.brandIds);
    if (opts.action) q = q.where('action', opts.action);
    if (opts.beforeSeq) q = q.where('seq', '<', opts.beforeSeq);
    const rows = (await q) as Record<string, unknown>[];
    return rows.map((r) => ({ ...r, details: r.details ? JSON.parse(r.details as string) : null }));
  }
}
