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

/** CSV cells and lines for the export (core/csv.ts: csv-stringify, formulas defused). */
export { csvCell, csvLine } from '../../../core/csv';

/** The id of a record for the long-format CSV: its `id` field if it has one, else its 1-based position. */
export function recordKey(row: Record<string, unknown>, index: number): string | number {
  const id = row.id;
  return typeof id === 'number' || typeof id === 'string' ? id : index + 1;
}
