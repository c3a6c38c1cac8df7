/** Age from a YYYY-MM-DD date of birth, by calendar (WSM-22). */

/** Whole years between `dob` and `today`, or undefined when the date is not a real past date. */
export function ageOn(dob: string, today = new Date()): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dob);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  const ty = today.getUTCFullYear(), tm = today.getUTCMonth() + 1, td = today.getUTCDate();
  if (y > ty || (y === ty && (mo > tm || (mo === tm && d > td)))) return undefined;
  return ty - y - (tm < mo || (tm === mo && td < d) ? 1 : 0);
}
