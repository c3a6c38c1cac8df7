/**
 * The stored answers of a batch erasure: one encrypted record per batch (rights_erasure_batches) instead of one full
 * ErasureResult per subject. Subjects of a batch keep mostly the same things for the same reasons, so the batch stores
 * each distinct kept entry once and, per subject, its kind, counts, entry indexes, statutory figures, contacts and
 * processor notices. A subject's rights_erasures row points at its batch; `resultOf` rebuilds exactly the
 * ErasureResult the batch computed for it.
 */
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';
import type { SubjectKind } from '../../../core/subjects/subject-service';
import type { ErasureResult, KeptEntry } from './erasure-result';

/** One subject in a packed batch: id, kind, erased as [module index, count] pairs flattened, kept entry indexes, statutory records and keep-until, contacts, processor notices. */
type PackedSubject = [number, SubjectKind, number[], number[], number, number | null, number[], [number, string, string][]];

/** The batch record as stored (JSON, encrypted). */
interface PackedBatch {
  v: 1;
  erasedAt: number;
  years: number;
  offForBrand: string[];
  modules: string[];
  kept: KeptEntry[];
  subjects: PackedSubject[];
}

/** Packs a batch's results (all of one brand, erased at one time). */
export function packResults(results: ErasureResult[]): string {
  const first = results[0];
  const modules = new Map<string, number>();
  const kept = new Map<string, number>();
  const same = new Map<KeptEntry, number>(); // the batch shares entry objects between subjects: most are found by identity
  const entries: KeptEntry[] = [];
  const moduleIndex = (name: string): number => {
    let i = modules.get(name);
    if (i === undefined) modules.set(name, (i = modules.size));
    return i;
  };
  const keptIndex = (k: KeptEntry): number => {
    const known = same.get(k);
    if (known !== undefined) return known;
    const key = `${k.module}\u0000${k.what}\u0000${k.why}`;
    let i = kept.get(key);
    if (i === undefined) {
      kept.set(key, (i = entries.length));
      entries.push({ module: k.module, what: k.what, why: k.why });
    }
    same.set(k, i);
    return i;
  };
  const subjects = results.map((r): PackedSubject => [
    r.subjectId, r.kind,
    r.erased.flatMap((e) => [moduleIndex(e.module), e.count]),
    r.kept.map(keptIndex),
    r.statutory.records, r.statutory.keepUntil,
    r.contacts,
    r.processors.map((p) => [p.outboxId, p.recipient, p.topic]),
  ]);
  const batch: PackedBatch = { v: 1, erasedAt: first?.erasedAt ?? 0, years: first?.statutory.years ?? 0, offForBrand: first?.offForBrand ?? [], modules: [...modules.keys()], kept: entries, subjects };
  return JSON.stringify(batch);
}

/** One subject's ErasureResult from a packed batch, or null when the batch does not hold it. */
export function unpackResult(json: string, subjectId: number): ErasureResult | null {
  const b = JSON.parse(json) as PackedBatch;
  const s = b.subjects.find((x) => x[0] === subjectId);
  if (!s) return null;
  const [id, kind, erased, kept, records, keepUntil, contacts, processors] = s;
  const pairs: { module: string; count: number }[] = [];
  for (let i = 0; i < erased.length; i += 2) pairs.push({ module: b.modules[erased[i]], count: erased[i + 1] });
  return {
    subjectId: id, kind, erasedAt: b.erasedAt, erased: pairs, kept: kept.map((i) => ({ ...b.kept[i] })),
    statutory: { records, keepUntil, years: b.years },
    processors: processors.map(([outboxId, recipient, topic]) => ({ outboxId, recipient, topic })),
    contacts, offForBrand: [...b.offForBrand],
  };
}

/** A rights_erasures row's stored answer: its own result, or its batch's entry for the subject. */
export async function resultOf(kernel: Kernel, db: Knex | Knex.Transaction, row: { subject_id: number | string; result_enc: string | null; batch_id: number | string | null }): Promise<ErasureResult | null> {
  if (row.result_enc) return JSON.parse(kernel.keyring.decryptSync(row.result_enc)) as ErasureResult;
  if (row.batch_id === null || row.batch_id === undefined) return null;
  const batch = (await db('rights_erasure_batches').where({ id: Number(row.batch_id) }).first('result_enc')) as { result_enc: string } | undefined;
  return batch ? unpackResult(kernel.keyring.decryptSync(batch.result_enc), Number(row.subject_id)) : null;
}
