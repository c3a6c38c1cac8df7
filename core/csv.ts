/**
 * CSV for downloads and exports: RFC 4180 with CRLF line ends, written by csv-stringify; a text cell a spreadsheet
 * would run as a formula (starting with = + - @, tab or CR) is prefixed with a single quote (CSV injection, OWASP).
 * A feed for another system's import may keep plain phone numbers and signed amounts ("+44.20 7946", "-12.50") as
 * written (`keepSignedNumbers`): nothing but digits, spaces, dots and brackets follows the sign, so no formula runs.
 */
import { stringify } from 'csv-stringify/sync';

/** A cell value: text, numbers and booleans as written, none as an empty cell. */
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER_LIKE = /^[+-][\d .()]*$/;
const OPTIONS = { record_delimiter: '\r\n', quoted_match: /[\r\n]/, cast: { boolean: (v: boolean) => String(v) } } as const;

/** How formulas are defused: every text starting with a formula character, or all but plain signed numbers. */
export interface CsvOptions { keepSignedNumbers?: boolean }

/** A text with a leading formula character defused (see the file comment). */
export function defuseFormula(text: string, opts: CsvOptions = {}): string {
  return FORMULA_START.test(text) && !(opts.keepSignedNumbers && NUMBER_LIKE.test(text)) ? `'${text}` : text;
}

/** CSV lines, each CRLF-terminated. */
export function csvRows(rows: CsvValue[][], opts: CsvOptions = {}): string {
  const safe = (v: CsvValue): CsvValue => (typeof v === 'string' ? defuseFormula(v, opts) : v);
  return rows.length ? stringify(rows.map((r) => r.map(safe)), OPTIONS) : '';
}

/** One CSV line, CRLF-terminated. */
export function csvLine(cells: CsvValue[], opts: CsvOptions = {}): string {
  return csvRows([cells], opts);
}

/** One CSV cell as written in a line (quoted when it holds a comma, quote or line break). */
export function csvCell(value: CsvValue, opts: CsvOptions = {}): string {
  return csvLine([value], opts).slice(0, -2);
}
