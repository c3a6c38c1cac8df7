/**
 * Looks for card data anywhere in the database (TOS-1.2): every table and column, sealed values decrypted first, for
 * a Luhn-valid run of 13–19 digits that starts like a card number (2–6: Mastercard 2-series, Amex/Diners/JCB,
 * Visa, Mastercard, Discover/Maestro; a millisecond timestamp starts with 1 and is left alone), standing on its own
 * (not inside a longer token or hash), and for a CVC: a column or JSON key named cvc, cvv, cvc2, cvv2, csc or
 * security_code.
 */
import type { Suite } from '../../core/suite';
import { allTables } from './rights-db-scan';

export interface CardHit { table: string; column: string; kind: 'card-number' | 'cvc'; id: unknown }

/** Whether a digit string passes the Luhn check. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
}

const RUN = /(?<![0-9A-Za-z_])[2-6]\d{12,18}(?![0-9A-Za-z_])/g;
const CVC_NAME = /^(cvc|cvv|cvc2|cvv2|csc|security_?code|card_?cvc)$/i;
const CVC_KEY = /"(cvc|cvv|cvc2|cvv2|csc|security_?code|card_?cvc)"\s*:/i;

/** The card numbers (Luhn-valid runs) in a text. */
export function cardNumbersIn(text: string): string[] {
  return [...text.matchAll(RUN)].map((m) => m[0]).filter(luhnValid);
}

/** Every place in the database holding a card number or a CVC field. */
export async function scanForCardData(suite: Suite): Promise<CardHit[]> {
  const hits: CardHit[] = [];
  for (const table of await allTables(suite)) {
    const rows = (await suite.kernel.db(table).select('*')) as Record<string, unknown>[];
    for (const row of rows) {
      for (const [column, raw] of Object.entries(row)) {
        if (CVC_NAME.test(column)) hits.push({ table, column, kind: 'cvc', id: row.id ?? null });
        if (raw === null || raw === undefined) continue;
        let text = Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw);
        if (/^v1\.[^.]+\./.test(text)) {
          try { text = await suite.kernel.keyring.decrypt(text); } catch { /* not one of ours */ }
        }
        if (cardNumbersIn(text).length) hits.push({ table, column, kind: 'card-number', id: row.id ?? null });
        if (CVC_KEY.test(text)) hits.push({ table, column, kind: 'cvc', id: row.id ?? null });
      }
    }
  }
  return hits;
}
