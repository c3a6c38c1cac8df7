/** The data inventory: subjects (client, contact, third-party payer) and their category-tagged, encrypted fields. */
import type { Knex } from 'knex';
import { dialectOfKnex } from '../db/connection';
import { SuiteError } from '../errors';
import type { Keyring } from '../crypto/keyring';
import type { DataCategory } from '../profile/schema';
import { FIELD_CATEGORIES, HEALTH_FIELD, SECRET_FIELDS } from './field-catalogue';
import { healthDataRefused } from './health';
import { recordSubjectEvents, type SubjectEvent, type SubjectEventRow } from './subject-events';
import { clearSubjectHoldings, recordSubjectHoldings, type SubjectHoldingRow } from './subject-holdings';

export type { SubjectEvent, SubjectEventRow } from './subject-events';
export type { SubjectHoldingRow } from './subject-holdings';

export type SubjectKind = 'client' | 'contact' | 'payer';
export type SubjectStatus = 'active' | 'closed' | 'restricted' | 'erased';

/** A subject as stored (no personal fields). */
export interface Subject {
  id: number;
  brandId: number;
  kind: SubjectKind;
  externalId: string;
  parentId: number | null;
  status: SubjectStatus;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  /** When processing was restricted (SP-5.1); null when it is not. */
  restrictedAt: number | null;
}

/** Purposes a restricted subject's data may still be used for: storage, and legal claims or obligations (GDPR Art. 18(2)). */
export const PURPOSES_ALLOWED_WHEN_RESTRICTED: ReadonlySet<string> = new Set(['storage', 'legal']);

/** One decrypted personal field. */
export interface SubjectField { name: string; category: DataCategory; value: string; policyVersion: string | null; updatedAt: number }

/** What to record about a subject seen on the panel. */
export interface SubjectUpsert {
  brandId: number;
  kind: SubjectKind;
  externalId: string | number;
  parentId?: number | null;
  /** Field name → value; unknown names and secrets are ignored, health fields refused. */
  fields: Record<string, unknown>;
  /** Extra fields with an explicit category (custom fields mapped by the profile); 'health' is refused. */
  tagged?: { name: string; category: DataCategory | 'health'; value: string }[];
  policyVersion?: string | null;
}

interface SubjectRow { id: number; brand_id: number; kind: SubjectKind; external_id: string; parent_id: number | null; status: SubjectStatus; created_at: number; updated_at: number; closed_at: number | null; restricted_at?: number | null }

function toSubject(r: SubjectRow): Subject {
  return {
    id: Number(r.id), brandId: Number(r.brand_id), kind: r.kind, externalId: r.external_id, parentId: r.parent_id === null ? null : Number(r.parent_id),
    status: r.status, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at), closedAt: r.closed_at === null ? null : Number(r.closed_at),
    restrictedAt: r.restricted_at === null || r.restricted_at === undefined ? null : Number(r.restricted_at),
  };
}

/**
 * MySQL: the subject row in one round trip. A new row is inserted (1 affected row); an existing one is updated and its
 * id returned through LAST_INSERT_ID (2 affected rows — updated_at always moves forward, by 1 ms if need be, so an
 * update is never a no-op that would look like an insert). Status and parent are left as they are, as on SQLite.
 */
const MYSQL_UPSERT_SUBJECT = 'insert into `subjects` (`brand_id`, `kind`, `external_id`, `parent_id`, `status`, `email_hash`, `created_at`, `updated_at`) '
  + "values (?, ?, ?, ?, 'active', ?, ?, ?) on duplicate key update `id` = last_insert_id(`id`), "
  + '`updated_at` = greatest(values(`updated_at`), `updated_at` + 1), `email_hash` = coalesce(values(`email_hash`), `email_hash`)';

export class SubjectService {
  private readonly mysql: boolean;

  constructor(private readonly db: Knex, private readonly keyring: Keyring) {
    this.mysql = dialectOfKnex(db) === 'mysql';
  }

  /** Inserts or updates the subject row (not its fields); SQLite looks it up first (no round trips to save there). */
  private async upsertRow(trx: Knex.Transaction | Knex, input: SubjectUpsert, externalId: string, emailHash: string | null, ts: number): Promise<{ id: number; created: boolean }> {
    if (this.mysql) {
      const [r] = (await trx.raw(MYSQL_UPSERT_SUBJECT, [input.brandId, input.kind, externalId, input.parentId ?? null, emailHash, ts, ts])) as [{ insertId: number; affectedRows: number }];
      return { id: Number(r.insertId), created: r.affectedRows === 1 };
    }
    const row = (await trx('subjects').where({ brand_id: input.brandId, kind: input.kind, external_id: externalId }).first('id')) as { id: number } | undefined;
    if (!row) {
      const [id] = await trx('subjects').insert({
        brand_id: input.brandId, kind: input.kind, external_id: externalId, parent_id: input.parentId ?? null, status: 'active',
        email_hash: emailHash, created_at: ts, updated_at: ts,
      });
      return { id: Number(id), created: true };
    }
    const patch: Record<string, unknown> = { updated_at: ts };
    if (emailHash) patch.email_hash = emailHash;
    await trx('subjects').where({ id: row.id }).update(patch);
    return { id: Number(row.id), created: false };
  }

  /** Picks the storable fields out of a payload, refusing health data (SP-9) and dropping secrets. */
  static classify(input: SubjectUpsert): { name: string; category: DataCategory; value: string }[] {
    const out: { name: string; category: DataCategory; value: string }[] = [];
    for (const [name, raw] of Object.entries(input.fields)) {
      if (SECRET_FIELDS.has(name)) continue;
      if (HEALTH_FIELD.test(name) && raw !== undefined && raw !== null && raw !== '') throw healthDataRefused(name);
      const category = FIELD_CATEGORIES[name];
      if (!category || raw === undefined || raw === null) continue;
      out.push({ name, category, value: String(raw) });
    }
    for (const f of input.tagged ?? []) {
      if (f.category === 'health' || HEALTH_FIELD.test(f.name)) throw healthDataRefused(f.name);
      out.push({ name: f.name, category: f.category, value: f.value });
    }
    return out;
  }

  /** Creates or updates a subject and its fields inside `trx`. Returns the subject id. */
  async upsert(trx: Knex.Transaction | Knex, input: SubjectUpsert): Promise<{ id: number; created: boolean }> {
    const fields = SubjectService.classify(input);
    const ts = Date.now();
    const externalId = String(input.externalId);
    const email = fields.find((f) => f.name === 'email')?.value;
    const row = await this.upsertRow(trx, input, externalId, email ? this.keyring.blindIndex(email) : null, ts);
    if (fields.length) {
      const rows = fields.map((f) => ({
        subject_id: row.id, field: f.name, category: f.category, value_enc: this.keyring.encryptSync(f.value),
        policy_version: input.policyVersion ?? null, updated_at: ts,
      }));
      await trx('subject_fields').insert(rows).onConflict(['subject_id', 'field']).merge(['category', 'value_enc', 'policy_version', 'updated_at']);
    }
    return row;
  }

  /** Finds a subject by the panel's id for it. */
  async findByExternal(brandId: number, kind: SubjectKind, externalId: string | number, trx: Knex | Knex.Transaction = this.db): Promise<Subject | undefined> {
    const r = (await trx('subjects').where({ brand_id: brandId, kind, external_id: String(externalId) }).first()) as SubjectRow | undefined;
    return r ? toSubject(r) : undefined;
  }

  /** Finds subjects by email through the blind index (no plaintext search). */
  async findByEmail(brandIds: number[], email: string): Promise<Subject[]> {
    const rows = (await this.db('subjects').whereIn('brand_id', brandIds).where({ email_hash: this.keyring.blindIndex(email) })) as SubjectRow[];
    return rows.map(toSubject);
  }

  /** Reads a subject by id. */
  async get(id: number, trx: Knex | Knex.Transaction = this.db): Promise<Subject> {
    const r = (await trx('subjects').where({ id }).first()) as SubjectRow | undefined;
    if (!r) throw new SuiteError('SUITE_SUBJECT_UNKNOWN', { subject: id });
    return toSubject(r);
  }

  /** Decrypts a subject's fields, optionally only some categories. */
  async fields(id: number, categories?: DataCategory[]): Promise<SubjectField[]> {
    let q = this.db('subject_fields').where({ subject_id: id }).orderBy('field');
    if (categories) q = q.whereIn('category', categories);
    const rows = (await q) as { field: string; category: DataCategory; value_enc: string; policy_version: string | null; updated_at: number }[];
    const out: SubjectField[] = [];
    for (const r of rows) out.push({ name: r.field, category: r.category, value: await this.keyring.decrypt(r.value_enc), policyVersion: r.policy_version, updatedAt: Number(r.updated_at) });
    return out;
  }

  /** The categories a subject has fields in, without decrypting anything (sorted). */
  async categoriesOf(id: number): Promise<DataCategory[]> {
    const rows = (await this.db('subject_fields').where({ subject_id: id }).distinct('category').pluck('category')) as DataCategory[];
    return rows.sort();
  }

  /** Sets a subject's status (closed, restricted, …). */
  async setStatus(trx: Knex | Knex.Transaction, id: number, status: SubjectStatus): Promise<void> {
    const patch: Record<string, unknown> = { status, updated_at: Date.now() };
    if (status === 'closed') patch.closed_at = Date.now();
    await trx('subjects').where({ id }).update(patch);
  }

  /** Restricts (or lifts the restriction of) processing for a subject (SP-5.1); every module checks it through `processingAllowed`. */
  async setRestricted(trx: Knex | Knex.Transaction, id: number, restricted: boolean): Promise<void> {
    await trx('subjects').where({ id }).update({ restricted_at: restricted ? Date.now() : null, updated_at: Date.now() });
  }

  /** Whether a subject's data may be used for `purpose`: always, unless processing is restricted and the purpose is not storage or legal. */
  async processingAllowed(id: number, purpose: string, trx: Knex | Knex.Transaction = this.db): Promise<boolean> {
    if (PURPOSES_ALLOWED_WHEN_RESTRICTED.has(purpose)) return true;
    const r = (await trx('subjects').where({ id }).first('restricted_at')) as { restricted_at: number | null } | undefined;
    return !r || r.restricted_at === null;
  }

  /** Throws SUITE_SUBJECT_RESTRICTED unless the subject's data may be used for `purpose`. */
  async assertProcessingAllowed(id: number, purpose: string, trx: Knex | Knex.Transaction = this.db): Promise<void> {
    if (!(await this.processingAllowed(id, purpose, trx))) throw new SuiteError('SUITE_SUBJECT_RESTRICTED', { subject: id, purpose });
  }

  /** Records that `event` happened to a subject at `at` (epoch ms); the store keeps the latest time, so a repeat or an older report changes nothing. */
  async recordEvent(trx: Knex | Knex.Transaction, subjectId: number, event: SubjectEvent, at: number): Promise<void> {
    await this.recordEvents(trx, [{ subjectId, event, at }]); // one implementation for one and many
  }

  /** `recordEvent` for many rows in one statement per chunk (the WHMCS import records thousands); rows of erased subjects are dropped. */
  async recordEvents(trx: Knex | Knex.Transaction, rows: readonly SubjectEventRow[]): Promise<void> {
    await recordSubjectEvents(trx, rows);
  }

  /** Forgets a recorded event (a new order: the client's last service has not ended after all). */
  async forgetEvent(trx: Knex | Knex.Transaction, subjectId: number, event: SubjectEvent): Promise<void> {
    await trx('subject_events').where({ subject_id: subjectId, event }).delete();
  }

  /** Records that other holders hold data of a category about subjects (set-based; an open holding keeps its earliest `since`); erased subjects are dropped. */
  async recordHoldings(trx: Knex | Knex.Transaction, rows: readonly SubjectHoldingRow[]): Promise<void> {
    await recordSubjectHoldings(trx, rows);
  }

  /** Clears `holder`'s holdings of `category` for `subjectIds` (with `until`: only those held since at or before it); answers how many. */
  async clearHoldings(trx: Knex | Knex.Transaction, subjectIds: readonly number[], holder: string, category: DataCategory, until?: number): Promise<number> {
    return clearSubjectHoldings(trx, subjectIds, holder, category, until);
  }

  /** A subject's recorded events and their times (only what was recorded: the platform's own tables are retention's to read). */
  async events(id: number, trx: Knex | Knex.Transaction = this.db): Promise<Partial<Record<SubjectEvent, number>>> {
    const rows = (await trx('subject_events').where({ subject_id: id }).select('event', 'at')) as { event: SubjectEvent; at: number | string }[];
    return Object.fromEntries(rows.map((r) => [r.event, Number(r.at)]));
  }

  /**
   * Erases a subject's personal fields; the subject row stays as an anonymous tombstone. The tombstone keeps its status,
   * kind, panel id and own timestamps (what says it was erased and stops a later hook re-creating it), and no events
   * or holdings: nothing counts a period on an erased subject, and an event time tied to the panel id is more than the
   * tombstone needs (the erasure reaches the holders themselves).
   */
  async erase(trx: Knex | Knex.Transaction, id: number): Promise<number> {
    return (await this.eraseMany(trx, [id])).get(id) ?? 0; // one implementation for one and many
  }

  /**
   * `erase` for many subjects in two or three statements; answers the number of fields deleted per subject (0 for one
   * without fields). `fieldCounts`, when the caller read the fields in this transaction under its lock, spares the count.
   */
  async eraseMany(trx: Knex | Knex.Transaction, ids: number[], fieldCounts?: ReadonlyMap<number, number>): Promise<Map<number, number>> {
    const out = new Map<number, number>(ids.map((id) => [id, 0]));
    if (!ids.length) return out;
    if (fieldCounts) {
      for (const id of ids) out.set(id, fieldCounts.get(id) ?? 0);
    } else {
      const counts = (await trx('subject_fields').whereIn('subject_id', ids).groupBy('subject_id').select('subject_id').count({ n: '*' })) as { subject_id: number; n: number | string }[];
      for (const c of counts) out.set(Number(c.subject_id), Number(c.n));
    }
    // Given counts are what the caller read; the delete runs regardless, so a field written since is not left behind.
    if (fieldCounts || [...out.values()].some((n) => n > 0)) await trx('subject_fields').whereIn('subject_id', ids).delete();
    await trx('subject_events').whereIn('subject_id', ids).delete();
    await trx('subject_holdings').whereIn('subject_id', ids).delete();
    await trx('subjects').whereIn('id', ids).update({ status: 'erased', email_hash: null, updated_at: Date.now() });
    return out;
  }
}
