/** What one erasure did: erased per module, kept (what and why), statutory billing records, processors told. No personal values. */
import { t } from '../../../core/i18n';
import type { SubjectKind } from '../../../core/subjects/subject-service';

/** One module's count of erased records. */
export interface ErasedEntry { module: string; count: number }

/** One thing kept after the erasure, by which module, and the reason in law or practice. */
export interface KeptEntry { module: string; what: string; why: string }

/** A processor told about the erasure: the outbox message that carries the anonymised record, retried until delivered. */
export interface ProcessorNotice { outboxId: number; recipient: string; topic: string }

/** The stored answer of an erasure (encrypted in rights_erasures.result_enc and in the request's result). */
export interface ErasureResult {
  subjectId: number;
  kind: SubjectKind;
  erasedAt: number;
  erased: ErasedEntry[];
  kept: KeptEntry[];
  statutory: { records: number; keepUntil: number | null; years: number };
  processors: ProcessorNotice[];
  /** Contacts of the account (subjects of kind contact under a client) erased with it. */
  contacts: number[];
  /** Modules switched off for the brand that erased what they still held. */
  offForBrand: string[];
}

/** Keyword → reason key, first match wins (the modules describe what they keep in plain sentences). */
const REASONS: [RegExp, string][] = [
  [/NOT updated/, 'processorPending'],
  [/statutory/i, 'statutory'],
  [/accounting|invoices it paid/i, 'accounting'],
  [/legal claims/i, 'legalClaims'],
  [/suppression/i, 'suppression'],
  [/tombstone/i, 'tombstone'],
  [/proof|answered/i, 'proof'],
  [/registry|domain names/i, 'registry'],
  [/without personal fields|no personal field/i, 'anonymous'],
];

/** The reason a module's "kept" sentence stands for, in `locale`. */
export function whyKept(what: string, params: Record<string, string | number> = {}, locale = 'en'): string {
  const key = REASONS.find(([re]) => re.test(what))?.[1] ?? 'other';
  return t(locale, `rights.erase.why.${key}`, params);
}

/** Turns a module's kept sentences into entries with their reason in `locale` (the sentences stay the module's own). */
export function keptEntries(module: string, kept: string[], params: Record<string, string | number> = {}, locale = 'en'): KeptEntry[] {
  return kept.map((what) => ({ module, what, why: whyKept(what, params, locale) }));
}

/** Adds `count` to the module's erased entry (one entry per module). */
export function addErased(list: ErasedEntry[], module: string, count: number): void {
  const found = list.find((e) => e.module === module);
  if (found) found.count += count;
  else list.push({ module, count });
}
