/** Value formatting shared by the export's files: flattening nested values to dotted paths, and safe CSV cells. */

/** A flat field: a dotted path ("details.email", "contacts[0].id") and its scalar value. */
export interface FlatField { path: string; value: string | number | boolean | null }

/** Flattens a value into scalar leaves with dotted paths (empty objects and arrays give one empty leaf). */
export function flatten(value: unknown, path = '', out: FlatField[] = []): FlatField[] {
  if (value === null || value === undefined) out.push({ path, value: null });
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') out.push({ path, value });
  else if (Array.isArray(value)) {
    if (!value.length) out.push({ path, value: '' });
    for (let i = 0; i < value.length; i++) flatten(value[i], `${path}[${i}]`, out);
  } else if (value instanceof Date) out.push({ path, value: value.toISOString() });
  else if (typeof value === 'object') {
    const keys = Object.keys(value);
    for (const k of keys) {
      flatten((value as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out);
    }
    if (!keys.length) out.push({ path, value: '' });
  } else out.push({ path, value: String(value) });
  return out;
}

/** Characters that make a spreadsheet read a cell as a formula (CSV injection, OWASP); tab and CR too. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180): a text starting with = + - @ (or tab/CR) is prefixed with a single quote so spreadsheet
 * programs show it as text instead of running it; cells with a comma, quote or line break are quoted, quotes doubled.
 * Numbers are written as they are (a negative amount stays a number).
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (CRLF-terminated, as RFC 4180 says). */
export function csvLine(cells: (string | number | boolean | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The id of a record for the long-format CSV: its `id` field if it has one, else its 1-based position. */
export function recordKey(row: Record<string, unknown>, index: number): string | number {
  const id = row.id;
  return typeof id === 'number' || typeof id === 'string' ? id : index + 1;
}
