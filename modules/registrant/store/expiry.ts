/** A registration's expiry: `regperiod` years (WHMCS's registrar parameter, 1–10, default 1) after the later of now and the current expiry. */

/** The registration period in years a registrar call asked for (WHMCS `regperiod`); 1 when absent or out of range. */
export function periodYears(params: Record<string, unknown>): number {
  const n = Number(params.regperiod);
  return Number.isInteger(n) && n >= 1 && n <= 10 ? n : 1;
}

/** The new expiry after registering (no current expiry) or renewing for `years`, at `now` (UTC calendar years). */
export function extendedExpiry(current: number | null, years: number, now = Date.now()): number {
  const from = new Date(current !== null && current > now ? current : now);
  from.setUTCFullYear(from.getUTCFullYear() + years);
  return from.getTime();
}
