/**
 * The export's CSV files, in long format (module,set,record,field,value): one per data category (csv/<category>.csv,
 * the subject's fields and every record set of that category) and csv/summaries.csv for the module summaries.
 */
import type { DataCategory } from '../../../core/profile/schema';
import { csvLine, flatten, recordKey } from './export-format';
import { SUBJECT_REGISTER_MODULE, type ExportSources, type SetRef } from './export-sources';

/** The header line of every export CSV. */
export const CSV_HEADER = ['module', 'set', 'record', 'field', 'value'];

/** The start of csv/<category>.csv: the header and the subject's fields of that category. */
export function categoryCsvHead(src: ExportSources, category: DataCategory): string {
  let out = csvLine(CSV_HEADER);
  for (const f of src.fields) if (f.category === category) out += csvLine([SUBJECT_REGISTER_MODULE, 'fields', src.subject.id, f.name, f.value]);
  return out;
}

/** The lines of one record (`index` is its 0-based position in the set): one per field, the record's id in `record`. */
export function csvRecordLines(s: SetRef, row: Record<string, unknown>, index: number): string {
  const key = recordKey(row, index);
  let out = '';
  for (const { path, value } of flatten(row)) if (path !== 'id') out += csvLine([s.module, s.name, key, path, value]);
  return out;
}

/** csv/summaries.csv, whole (summaries are small): one line per leaf of each module's summary. */
export function summariesCsv(src: ExportSources): string {
  let out = csvLine(CSV_HEADER);
  for (const { module, data } of src.summaries) {
    for (const [key, value] of Object.entries(data)) {
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          for (const { path, value: v } of flatten(value[i])) out += csvLine([module, key, i + 1, path, v]);
        }
      } else {
        for (const { path, value: v } of flatten(value)) out += csvLine([module, key, '', path, v]);
      }
    }
  }
  return out;
}
