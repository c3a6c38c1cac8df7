/**
 * SP-9: health data is out of scope. A hook's variables are refused (422, the field named, nothing written) when a
 * field holds health data: its name announces it (`medical_notes`), the brand's profile flags it (a free-text
 * variable such as `notes` in `inventory.healthFields`, or a custom field id mapped to 'health' in
 * `inventory.customFields`), or the panel labels a custom field as such (`{id, name: 'Medical conditions', value}`).
 * Values are not scanned: a word in a note proves nothing, and reading notes for diagnoses would itself be processing.
 */
import { fieldIssue, SuiteError } from '../errors';
import type { PrivacyProfile } from '../profile/schema';
import { HEALTH_FIELD } from './field-catalogue';

/** The refusal for one field: 422 SUITE_HEALTH_DATA_REFUSED with the field in `fields[]`. */
export function healthDataRefused(field: string): SuiteError {
  return new SuiteError('SUITE_HEALTH_DATA_REFUSED', { field }, [fieldIssue(field, 'validation.health.refused', { field })]);
}

/** Whether a value holds anything (empty strings, null and false carry no data). */
function present(v: unknown): boolean {
  if (v === undefined || v === null || v === false) return false;
  return typeof v !== 'string' || v.trim() !== '';
}

/** WHMCS custom fields as [id, value, label]: an object by id, or an array of values or of {id, value, name}. */
export function customFieldEntries(v: unknown): [string, unknown, string | undefined][] {
  if (Array.isArray(v)) {
    return v.map((x, i) => {
      if (!x || typeof x !== 'object' || !('id' in x)) return [String(i), x, undefined];
      const o = x as { id: unknown; value?: unknown; name?: unknown; label?: unknown; fieldname?: unknown };
      const label = [o.name, o.label, o.fieldname].find((l): l is string => typeof l === 'string');
      return [String(o.id), o.value, label];
    });
  }
  if (v && typeof v === 'object') return Object.entries(v).map(([id, value]) => [id, value, undefined]);
  return [];
}

/** The path of the first variable holding health data (e.g. "vars.customFields.7"), or undefined. */
export function findHealthData(vars: unknown, profile?: Pick<PrivacyProfile, 'inventory'>): string | undefined {
  if (!vars || typeof vars !== 'object' || Array.isArray(vars)) return undefined;
  const flagged = new Set(profile?.inventory.healthFields ?? []);
  const mapped = profile?.inventory.customFields ?? {};
  for (const [k, v] of Object.entries(vars)) {
    if (present(v) && (HEALTH_FIELD.test(k) || flagged.has(k))) return `vars.${k}`;
  }
  for (const key of ['customFields', 'customfield']) {
    for (const [id, value, label] of customFieldEntries((vars as Record<string, unknown>)[key])) {
      if (present(value) && (mapped[id] === 'health' || (label !== undefined && HEALTH_FIELD.test(label)))) return `vars.${key}.${id}`;
    }
  }
  return undefined;
}

/** Throws the refusal when the variables hold health data (see `findHealthData`). */
export function refuseHealthData(vars: unknown, profile?: Pick<PrivacyProfile, 'inventory'>): void {
  const field = findHealthData(vars, profile);
  if (field) throw healthDataRefused(field);
}
