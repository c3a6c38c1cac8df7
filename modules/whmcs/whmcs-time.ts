/** WHMCS's API dates: 'Y-m-d' or 'Y-m-d H:i:s' in the panel's clock, without an offset. */

/** A WHMCS date or date-time, read as UTC, in epoch ms; null for WHMCS's empty `0000-00-00` or anything else. */
export function whmcsTime(v: unknown): number | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2}))?/.exec(String(v ?? '').trim());
  if (!m || m[1] === '0000-00-00') return null;
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}Z`);
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}
