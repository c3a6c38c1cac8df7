/**
 * The one erasure of one subject (MS-8f, TOS-1.4, ESM-2), used by erase requests, bulk runs and retention, so they can
 * never disagree. In ONE transaction: the statutory billing records are written from the subject's fields; every
 * module on for the brand erases what it holds (processors are told through the outbox); the subject register keeps
 * an anonymous tombstone; the suppression list gets keyed hashes; the rights_erasures row is set done with the
 * result. A crash before the commit leaves the subject untouched; a subject whose erasure is done answers its stored
 * result. A client's contacts (subjects of kind contact under it) go with the account; a payer goes on its own.
 */
import type { Knex } from 'knex';
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError } from '../../../core/errors';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import type { Subject, SubjectKind } from '../../../core/subjects/subject-service';
import { resultOf } from './batch-result';
import { outboxMark, queuedSince, scrubOutbox } from './erase-outbox';
import { suppressErased } from './erase-suppression';
import { planErasure, type ErasurePlan } from './erasure-plan';
import { addErased, keptEntries, whyKept, type ErasedEntry, type ErasureResult, type KeptEntry } from './erasure-result';
import { writeStatutoryRecords } from './statutory-records';

/**
 * Who to erase, on which brand (resolved by the caller), and for which request or run. `locale` is the language of the
 * person the result answers (an erase request's); without it the result is in the brand's language (`plan.locale`).
 */
export interface EraseTarget { brand: Brand; profile: PrivacyProfile; subjectId: number; requestId?: number; runId?: number; actor: Actor; locale?: string }

interface Part { id: number; kind: SubjectKind; externalId: string }

/** The decrypted fields of some subjects, per subject. */
async function readFields(kernel: Kernel, trx: Knex.Transaction, ids: number[]): Promise<Map<number, Record<string, string>>> {
  const rows = (await trx('subject_fields').whereIn('subject_id', ids).select('subject_id', 'field', 'value_enc')) as { subject_id: number; field: string; value_enc: string }[];
  const out = new Map<number, Record<string, string>>();
  for (const r of rows) {
    const sid = Number(r.subject_id);
    if (!out.has(sid)) out.set(sid, {});
    out.get(sid)![r.field] = kernel.keyring.decryptSync(r.value_enc);
  }
  return out;
}

/** Sets the erasure's own rights_erasures row done (the run's row, or a new one), counting it on its run once. */
async function finishRow(trx: Knex.Transaction, target: EraseTarget, subject: Subject, resultEnc: string, reused: boolean): Promise<void> {
  const now = Date.now();
  if (target.runId !== undefined) {
    const n = await trx('rights_erasures').where({ run_id: target.runId, subject_id: subject.id }).whereNot({ state: 'done' })
      .update({ state: 'done', result_enc: resultEnc, error: null, finished_at: now, attempts: trx.raw('attempts + 1') });
    if (n) await trx('rights_erasure_runs').where({ id: target.runId }).update({ done: trx.raw('done + 1') });
    return;
  }
  if (reused) return;
  await trx('rights_erasures').insert({
    run_id: null, request_id: target.requestId ?? null, brand_id: subject.brandId, subject_id: subject.id, state: 'done', attempts: 1,
    result_enc: resultEnc, error: null, created_at: now, finished_at: now,
  });
}

/** Kept entries without repeats (a client and its contacts keep the same kinds of things). */
function dedupe(list: KeptEntry[]): KeptEntry[] {
  const seen = new Set<string>();
  return list.filter((k) => {
    const key = `${k.module}\u0000${k.what}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The erasure itself, inside `trx` (the plan was resolved before it opened). */
export async function eraseInTransaction(kernel: Kernel, trx: Knex.Transaction, plan: ErasurePlan, target: EraseTarget): Promise<ErasureResult> {
  const { brand, profile } = plan;
  const id = target.subjectId;
  // Lock the subject first: a concurrent erasure of it waits here, then finds the done row (SQLite: takes the write lock).
  await trx('subjects').where({ id }).update({ updated_at: trx.raw('updated_at') });
  const subject = await kernel.subjects.get(id, trx);
  if (subject.brandId !== brand.id) throw new SuiteError('SUITE_SUBJECT_UNKNOWN', { subject: id });
  const prior = (await trx('rights_erasures').where({ subject_id: id, state: 'done' }).orderBy('id').first('subject_id', 'result_enc', 'batch_id')) as { subject_id: number; result_enc: string | null; batch_id: number | null } | undefined;
  const priorResult = prior ? await resultOf(kernel, trx, prior) : null;
  if (priorResult) {
    await finishRow(trx, target, subject, prior!.result_enc ?? kernel.keyring.encryptSync(JSON.stringify(priorResult)), true);
    return priorResult;
  }

  const now = Date.now();
  const children = subject.kind === 'client'
    ? ((await trx('subjects').where({ parent_id: id, brand_id: brand.id, kind: 'contact' }).whereNot({ status: 'erased' }).orderBy('id').select('id', 'external_id')) as { id: number; external_id: string }[])
    : [];
  const parts: Part[] = [...children.map((c) => ({ id: Number(c.id), kind: 'contact' as const, externalId: String(c.external_id) })), { id, kind: subject.kind, externalId: subject.externalId }];
  const fields = await readFields(kernel, trx, parts.map((p) => p.id));

  // (a) statutory billing records first, from the fields about to be wiped.
  const statutory = await writeStatutoryRecords(kernel, trx, plan, subject, fields.get(id) ?? {});
  const locale = target.locale ?? plan.locale;
  const keepUntil = statutory.keepUntil === null ? t(locale, 'rights.erase.why.period', { years: plan.years }) : new Date(statutory.keepUntil).toISOString().slice(0, 10);

  // (b) every module on for the brand; the registrant module queues anonymised contacts for the registrar.
  const mark = await outboxMark(trx);
  const erased: ErasedEntry[] = [];
  let kept: KeptEntry[] = [];
  for (const part of parts) {
    for (const m of plan.modules) {
      const r = await m.personalData.erase(part.id, { kernel, trx, brand, profile });
      addErased(erased, m.name, r.erased);
      // What the account's contacts keep is of the same kinds: the subject's own sentences say it.
      if (part.id === id) kept.push(...keptEntries(m.name, r.kept, { keepUntil }, locale));
    }
  }
  // (c) the subject register: fields deleted, tombstone 'erased' (a no-op where the inventory module already did it).
  for (const part of parts) {
    addErased(erased, 'inventory', await kernel.subjects.erase(trx, part.id));
    // (d) keyed hashes so a re-sent record of the erased person is recognised.
    await suppressErased(kernel, trx, { brandId: brand.id, kind: part.kind, externalId: part.externalId, email: fields.get(part.id)?.email, requestId: target.requestId, at: now });
  }
  const processors = await queuedSince(trx, brand.id, mark);
  const outbox = await scrubOutbox(kernel, trx, profile, parts.map((p) => p.id));
  if (outbox.wiped + outbox.cancelled) addErased(erased, 'outbox', outbox.wiped + outbox.cancelled);
  for (const f of outbox.inFlight) kept.push({ module: 'outbox', what: t(locale, 'rights.erase.what.inFlight', { count: f.count, recipient: f.recipient }), why: t(locale, 'rights.erase.why.inFlight') });
  if (statutory.records) kept.unshift({ module: 'rights', what: t(locale, 'rights.erase.what.statutory', { records: statutory.records }), why: whyKept('statutory', { keepUntil }, locale) });
  kept = dedupe(kept);

  // (e) the result, stored with the erasure row, in the same transaction.
  const result: ErasureResult = {
    subjectId: id, kind: subject.kind, erasedAt: now, erased, kept,
    statutory: { records: statutory.records, keepUntil: statutory.keepUntil, years: plan.years },
    processors, contacts: children.map((c) => Number(c.id)), offForBrand: plan.offForBrand,
  };
  await finishRow(trx, target, subject, kernel.keyring.encryptSync(JSON.stringify(result)), false);
  await kernel.audit.record({
    brandId: brand.id, actor: target.actor, action: 'rights.erasure.done', targetType: 'subject', targetId: id,
    details: { requestId: target.requestId ?? null, runId: target.runId ?? null, kind: subject.kind, contacts: children.length, erased, statutory: statutory.records, processors: processors.length },
  }, trx);
  return result;
}

/** Erases one subject in one transaction and returns what was erased and kept; pass a plan to reuse it across a run. */
export async function eraseSubject(kernel: Kernel, target: EraseTarget, plan?: ErasurePlan): Promise<ErasureResult> {
  const p = plan ?? (await planErasure(kernel, target.brand, target.profile));
  try {
    return await kernel.db.transaction((trx) => eraseInTransaction(kernel, trx, p, target));
  } catch (err) {
    // A field under a data key this instance has not loaded yet (rotated elsewhere): load the keys, then once more.
    if (!(err instanceof SuiteError) || err.code !== 'SUITE_CRYPTO_KEY_UNKNOWN') throw err;
    await kernel.keyring.loadAll(); // every data key (outside the transaction: the modules decrypt synchronously in it)
    return kernel.db.transaction((trx) => eraseInTransaction(kernel, trx, p, target));
  }
}
