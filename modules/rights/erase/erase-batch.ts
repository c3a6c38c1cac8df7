/**
 * The batch erasure (MS-8f, MS-9 / WSM-27, TOS-1.4): many subjects of one brand erased in the caller's ONE transaction,
 * set-based, leaving exactly what eraseInTransaction leaves for each of them — statutory billing records, every
 * module's erase (its `eraseMany`, else its `erase` once per subject), the register's tombstones, the suppression
 * hashes, the outbox scrub, and a done rights_erasures row with each subject's own ErasureResult. The retention sweep
 * runs it batch by batch, so a crash leaves each batch untouched or complete. Differences from one-by-one erasures:
 * one audit entry for the batch ('rights.erasure.batch') instead of one per subject; a contact named in the batch is
 * erased as its own subject, not with its client (as if it came before its client one by one).
 */
import type { Knex } from 'knex';
import type { Actor } from '../../../core/audit/audit-log';
import { dialectOfKnex } from '../../../core/db/connection';
import { insertMany } from '../../../core/db/insert-many';
import { validationError, fieldIssue } from '../../../core/errors';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import type { EraseOutcome, ErasureBatchKnown } from '../../../core/modules/define-module';
import type { SubjectKind } from '../../../core/subjects/subject-service';
import { packResults } from './batch-result';
import { outboxMark, queuedSince } from './erase-outbox';
import { erasedEmailHash, erasedSubjectHash } from './erase-suppression';
import type { ErasingModule, ErasurePlan } from './erasure-plan';
import { addErased, keptEntries, whyKept, type ErasureResult, type KeptEntry } from './erasure-result';
import { scrubOutboxMany } from './outbox-batch';
import { writeStatutoryRecordsMany } from './statutory-batch';

/** The most subjects one batch may name (the audit entry lists their ids; a batch is one transaction). */
export const MAX_BATCH = 2000;

/**
 * A batch's turn among overlapping batches (the retention sweep's pipeline): `locked` is called once the batch holds
 * the row locks of its subjects and their contacts (the next batch may start locking then, and waits for this one on
 * any row they share, never the other way round); `ordered` is awaited inside the transaction just before the audit
 * entry (the audit chain has one head): the batch waits there for the previous one to commit.
 */
export interface BatchTurn { locked: () => void; ordered: () => Promise<void> }

/** Who runs the batch and why (e.g. source 'retention', reference 'retention-run:12'), recorded in its audit entry; its turn, if it overlaps others. */
export interface BatchContext { actor: Actor; source: string; reference?: string; turn?: BatchTurn }

/** Why a subject of the batch was not erased. */
export type SkipReason = 'other-brand' | 'already-erased' | 'unknown';

/** What a batch did: the subjects erased (contacts of erased clients go with them), and the ones skipped with the reason. */
export interface BatchOutcome { erased: number[]; skipped: { subjectId: number; reason: SkipReason }[] }

/** One subject the batch erases: its own erasure's subject (`owner`), or a contact going with its client. */
interface Part { id: number; kind: SubjectKind; externalId: string; owner: number }

interface SubjectRow { id: number; brand_id: number; kind: SubjectKind; external_id: string; status: string }

/** A subject the batch erases as its own erasure. */
interface Target { id: number; kind: SubjectKind; externalId: string }

/**
 * Prepares a batch: loads every data key (a handful of rows, not a scan of the batch's fields, which would grow with the
 * inventory). Run it BEFORE opening the batch's transaction: the modules decrypt synchronously inside it, and SQLite's
 * one connection cannot serve a query beside the transaction.
 */
export async function prepareBatch(kernel: Kernel): Promise<void> {
  await kernel.keyring.loadAll();
}

/** The decrypted fields of some subjects, per subject (every subject has a record, empty without fields). */
async function readFields(kernel: Kernel, trx: Knex.Transaction, ids: number[]): Promise<Map<number, Record<string, string>>> {
  const rows = (await trx('subject_fields').whereIn('subject_id', ids).select('subject_id', 'field', 'value_enc')) as { subject_id: number; field: string; value_enc: string }[];
  const out = new Map<number, Record<string, string>>(ids.map((id) => [id, {}]));
  for (const r of rows) out.get(Number(r.subject_id))![r.field] = kernel.keyring.decryptSync(r.value_enc);
  return out;
}

/**
 * The batch's sentences, each worked out once: subjects of a batch keep the same things for a handful of reasons, so
 * the i18n lookups and reason matching run per distinct sentence, not per subject.
 */
function memoised(locale: string) {
  const texts = new Map<string, string>();
  const lists = new Map<string, KeptEntry[]>();
  const whys = new Map<string, string>();
  return {
    t(key: string, params: Record<string, string | number> = {}): string {
      const k = `${key}\u0000${JSON.stringify(params)}`;
      let v = texts.get(k);
      if (v === undefined) texts.set(k, (v = t(locale, key, params)));
      return v;
    },
    why(what: string, keepUntil: string): string {
      const k = `${what}\u0000${keepUntil}`;
      let v = whys.get(k);
      if (v === undefined) whys.set(k, (v = whyKept(what, { keepUntil }, locale)));
      return v;
    },
    kept(module: string, sentences: string[], keepUntil: string): KeptEntry[] {
      const k = `${module}\u0000${keepUntil}\u0000${sentences.join('\u0000')}`;
      let v = lists.get(k);
      if (v === undefined) lists.set(k, (v = keptEntries(module, sentences, { keepUntil }, locale)));
      return v;
    },
  };
}

/** Kept entries without repeats (a client and its contacts keep the same kinds of things). */
function dedupe(list: KeptEntry[]): KeptEntry[] {
  const seen = new Set<string>();
  return list.filter((k) => !seen.has(`${k.module}\u0000${k.what}`) && seen.add(`${k.module}\u0000${k.what}`));
}

/**
 * Locks the batch's subject rows, then sorts them into the ones to erase and the ones skipped, in the batch's order
 * (their contacts are locked by partsOf). Everything after reads what a concurrent erasure of any of them committed.
 */
async function lockAndSort(trx: Knex.Transaction, brandId: number, ids: number[]): Promise<{ targets: Target[]; skipped: BatchOutcome['skipped'] }> {
  // A concurrent erasure of one of them waits here, then finds the done row or the tombstone. MySQL: a locking read
  // (it reads the latest committed rows); SQLite: an update takes the database's write lock first.
  const q = trx('subjects').whereIn('id', ids).select('id', 'brand_id', 'kind', 'external_id', 'status');
  if (dialectOfKnex(trx) === 'mysql') q.forUpdate();
  else await trx('subjects').whereIn('id', ids).update({ updated_at: trx.raw('updated_at') });
  const rows = (await q) as SubjectRow[];
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  // States read and filtered here: a `state = 'done'` condition lets SQLite pick the state index, which grows with every
  // erasure. MySQL: the subject index forced — with statistics from when the table was small, MariaDB scanned the
  // whole table for each batch of 1,000 ids, so a sweep slowed down with every batch it wrote.
  const erasuresTable: Knex.QueryBuilder = dialectOfKnex(trx) === 'mysql' ? trx.from(trx.raw('?? force index (??)', ['rights_erasures', 'rights_erasures_subject_id_index'])) : trx('rights_erasures');
  const erasures = (await erasuresTable.whereIn('subject_id', ids).select('subject_id', 'state')) as { subject_id: number | string; state: string }[];
  const done = new Set(erasures.filter((e) => e.state === 'done').map((e) => Number(e.subject_id)));
  const targets: Target[] = [];
  const skipped: BatchOutcome['skipped'] = [];
  for (const id of ids) {
    const r = byId.get(id);
    if (!r) skipped.push({ subjectId: id, reason: 'unknown' });
    else if (Number(r.brand_id) !== brandId) skipped.push({ subjectId: id, reason: 'other-brand' });
    else if (done.has(id) || r.status === 'erased') skipped.push({ subjectId: id, reason: 'already-erased' });
    else targets.push({ id, kind: r.kind, externalId: String(r.external_id) });
  }
  return { targets, skipped };
}

/**
 * The batch's parts in order: each target after its client's contacts not erased yet (and not named in the batch
 * themselves). MySQL: the contacts found are then locked by id and read again, so a concurrent erasure of one of them
 * waits for this batch and then finds it erased (a locking read on the parent column would lock whatever the plan
 * scans, other batches' rows included).
 */
async function partsOf(trx: Knex.Transaction, brandId: number, targets: Target[]): Promise<{ parts: Part[]; contacts: Map<number, number[]> }> {
  const clients = targets.filter((s) => s.kind === 'client').map((s) => s.id);
  const named = new Set(targets.map((s) => s.id));
  type ContactRow = { id: number; external_id: string; parent_id: number };
  let rows = clients.length
    ? ((await trx('subjects').whereIn('parent_id', clients).where({ brand_id: brandId, kind: 'contact' }).whereNot({ status: 'erased' }).orderBy('id').select('id', 'external_id', 'parent_id')) as ContactRow[])
    : [];
  if (rows.length && dialectOfKnex(trx) === 'mysql') {
    const locked = (await trx('subjects').whereIn('id', rows.map((r) => Number(r.id))).forUpdate().select('id', 'status')) as { id: number; status: string }[];
    const open = new Set(locked.filter((r) => r.status !== 'erased').map((r) => Number(r.id)));
    rows = rows.filter((r) => open.has(Number(r.id)));
  }
  const contacts = new Map<number, number[]>(targets.map((s) => [s.id, []]));
  const parts: Part[] = [];
  const childParts = new Map<number, Part[]>();
  for (const r of rows) {
    if (named.has(Number(r.id))) continue;
    const owner = Number(r.parent_id);
    contacts.get(owner)!.push(Number(r.id));
    childParts.set(owner, [...(childParts.get(owner) ?? []), { id: Number(r.id), kind: 'contact', externalId: String(r.external_id), owner }]);
  }
  for (const s of targets) parts.push(...(childParts.get(s.id) ?? []), { id: s.id, kind: s.kind, externalId: s.externalId, owner: s.id });
  return { parts, contacts };
}

/** One module's erasure of every part: its eraseMany, else its erase once per part (the outbox ids it queued noted per part). */
async function eraseModule(kernel: Kernel, trx: Knex.Transaction, plan: ErasurePlan, m: ErasingModule, parts: Part[], known: ErasureBatchKnown): Promise<Map<number, EraseOutcome>> {
  const ctx = { kernel, trx, brand: plan.brand, profile: plan.profile };
  if (m.personalData.eraseMany) return m.personalData.eraseMany(parts.map((p) => p.id), { ...ctx, known });
  const out = new Map<number, EraseOutcome>();
  let mark = await outboxMark(trx);
  for (const p of parts) {
    const r = await m.personalData.erase(p.id, ctx);
    const queued = ((await trx('outbox').where('id', '>', mark).orderBy('id').pluck('id')) as (number | string)[]).map(Number);
    if (queued.length) mark = queued[queued.length - 1];
    out.set(p.id, { ...r, queued });
  }
  return out;
}

/**
 * Erases the subjects of `plan.brand` among `subjectIds` inside `trx` (the plan resolved and prepareBatch run before
 * it opened). Subjects of another brand, already erased or unknown are skipped with the reason; a throw anywhere
 * leaves the whole batch to the caller's rollback.
 */
export async function eraseBatchInTransaction(kernel: Kernel, trx: Knex.Transaction, plan: ErasurePlan, subjectIds: number[], ctx: BatchContext): Promise<BatchOutcome> {
  const { brand, profile } = plan;
  const given = [...new Set(subjectIds.map(Number))];
  if (given.length > MAX_BATCH) throw validationError([fieldIssue('subjectIds', 'validation.rights.batchTooLarge', { max: MAX_BATCH })]);
  const ids = given.filter((id) => Number.isSafeInteger(id) && id > 0);
  const invalid = given.filter((id) => !ids.includes(id)).map((subjectId) => ({ subjectId, reason: 'unknown' as const }));
  if (!ids.length) {
    ctx.turn?.locked();
    return { erased: [], skipped: invalid };
  }
  const sorted = await lockAndSort(trx, brand.id, ids);
  const { targets } = sorted;
  const skipped = [...sorted.skipped, ...invalid];
  if (!targets.length) {
    ctx.turn?.locked();
    return { erased: [], skipped };
  }
  const now = Date.now();
  const { parts, contacts } = await partsOf(trx, brand.id, targets);
  ctx.turn?.locked();
  const ownerOf = new Map(parts.map((p) => [p.id, p.owner]));
  const fields = await readFields(kernel, trx, parts.map((p) => p.id));
  const known: ErasureBatchKnown = { subjects: new Map(parts.map((p) => [p.id, { kind: p.kind, externalId: p.externalId }])), fields };
  const say = memoised(plan.locale); // a bulk run answers nobody in particular: the brand's language, as one-by-one
  const results = new Map<number, ErasureResult>();
  const kept = new Map<number, KeptEntry[]>();
  for (const s of targets) {
    results.set(s.id, { subjectId: s.id, kind: s.kind, erasedAt: now, erased: [], kept: [], statutory: { records: 0, keepUntil: null, years: plan.years }, processors: [], contacts: contacts.get(s.id)!, offForBrand: plan.offForBrand });
    kept.set(s.id, []);
  }

  // (a) statutory billing records first, from the fields about to be wiped.
  const statutory = await writeStatutoryRecordsMany(kernel, trx, plan, targets, fields);
  const keepUntil = new Map(targets.map((s) => {
    const until = statutory.get(s.id)!.keepUntil;
    return [s.id, until === null ? say.t('rights.erase.why.period', { years: plan.years }) : new Date(until).toISOString().slice(0, 10)];
  }));

  // (b) every module, for the whole batch; the registrant module queues anonymised contacts for the registrar.
  const mark = await outboxMark(trx);
  const queuedBy = new Map<number, number>();
  for (const m of plan.modules) {
    const outcomes = await eraseModule(kernel, trx, plan, m, parts, known);
    for (const p of parts) {
      const o = outcomes.get(p.id) ?? { erased: 0, kept: [] };
      addErased(results.get(p.owner)!.erased, m.name, o.erased);
      if (p.id === p.owner) kept.get(p.owner)!.push(...say.kept(m.name, o.kept, keepUntil.get(p.owner)!));
      for (const q of o.queued ?? []) queuedBy.set(q, p.owner);
    }
  }
  // (c) the subject register: fields deleted, tombstones 'erased' — the inventory module's erase did it, if it ran.
  if (!plan.modules.some((m) => m.name === 'inventory')) {
    const fieldsErased = await kernel.subjects.eraseMany(trx, parts.map((p) => p.id));
    for (const p of parts) addErased(results.get(p.owner)!.erased, 'inventory', fieldsErased.get(p.id) ?? 0);
  }
  // (d) keyed hashes so a re-sent record of an erased person is recognised.
  await insertMany(trx, 'rights_suppression', parts.map((p) => {
    const email = fields.get(p.id)?.email;
    return { brand_id: brand.id, email_hash: email ? erasedEmailHash(kernel, email) : null, subject_hash: erasedSubjectHash(kernel, brand.id, p.kind, p.externalId), request_id: null, erased_at: now };
  }));
  let processors = 0;
  for (const n of await queuedSince(trx, brand.id, mark)) {
    const owner = queuedBy.get(n.outboxId);
    if (owner === undefined) continue;
    results.get(owner)!.processors.push(n);
    processors++;
  }
  const scrub = await scrubOutboxMany(kernel, trx, profile, ownerOf);

  // (e) each subject's result, stored with its erasure row; one audit entry for the batch.
  const rows: Record<string, unknown>[] = [];
  for (const s of targets) {
    const r = results.get(s.id)!;
    const o = scrub.get(s.id)!;
    const list = kept.get(s.id)!;
    if (o.wiped + o.cancelled) addErased(r.erased, 'outbox', o.wiped + o.cancelled);
    for (const f of o.inFlight) list.push({ module: 'outbox', what: say.t('rights.erase.what.inFlight', { count: f.count, recipient: f.recipient }), why: say.t('rights.erase.why.inFlight') });
    const st = statutory.get(s.id)!;
    if (st.records) list.unshift({ module: 'rights', what: say.t('rights.erase.what.statutory', { records: st.records }), why: say.why('statutory', keepUntil.get(s.id)!) });
    r.kept = dedupe(list);
    r.statutory = { records: st.records, keepUntil: st.keepUntil, years: plan.years };
  }
  // One encrypted record holds the batch's answers; each subject's erasure row points at it.
  const [batchId] = await trx('rights_erasure_batches').insert({
    brand_id: brand.id, source: ctx.source.slice(0, 32), reference: ctx.reference?.slice(0, 190) ?? null, subjects: targets.length,
    result_enc: kernel.keyring.encryptSync(packResults(targets.map((s) => results.get(s.id)!))), created_at: now,
  });
  for (const s of targets) rows.push({ run_id: null, request_id: null, brand_id: brand.id, subject_id: s.id, state: 'done', attempts: 1, result_enc: null, batch_id: Number(batchId), error: null, created_at: now, finished_at: now });
  await insertMany(trx, 'rights_erasures', rows);
  const erased = targets.map((s) => s.id);
  await ctx.turn?.ordered();
  await kernel.audit.record({
    brandId: brand.id, actor: ctx.actor, action: 'rights.erasure.batch', targetType: 'rights_erasure_batch', targetId: ctx.reference?.slice(0, 190),
    details: {
      count: erased.length, contacts: parts.length - erased.length, skipped: skipped.length, source: ctx.source, reference: ctx.reference ?? null,
      statutory: [...statutory.values()].reduce((n, x) => n + x.records, 0), processors, subjectIds: erased,
    },
  }, trx);
  return { erased, skipped };
}
