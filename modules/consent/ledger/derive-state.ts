/** The current consent state per subject and purpose, derived from ledger events: the last event per purpose wins. */
import type { ConsentAction, ConsentPurpose } from './consent-event';

/** The minimal event shape derivation needs. */
export interface LedgerEntry { seq: number; subjectKey: string; purpose: ConsentPurpose; action: ConsentAction; receiptId: string }

/** Folds events (in any order) into subjectKey → purpose → the entry with the highest seq. */
export function deriveState(entries: LedgerEntry[]): Map<string, Map<ConsentPurpose, LedgerEntry>> {
  const out = new Map<string, Map<ConsentPurpose, LedgerEntry>>();
  for (const e of entries) {
    let perSubject = out.get(e.subjectKey);
    if (!perSubject) out.set(e.subjectKey, (perSubject = new Map()));
    const cur = perSubject.get(e.purpose);
    if (!cur || e.seq > cur.seq) perSubject.set(e.purpose, e);
  }
  return out;
}

/** Whether an action leaves the purpose agreed to. */
export function isGranted(action: ConsentAction | undefined): boolean {
  return action === 'given';
}
