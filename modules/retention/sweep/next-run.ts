/** When the daily sweep runs next, for the admin's rule list (only for a daily "M H * * *" schedule; otherwise unknown). */

/** The next time a daily cron expression "M H * * *" fires after `from` (server local time, as node-cron runs it), or null. */
export function nextDailyRun(schedule: string, from = Date.now()): string | null {
  const m = /^(\d{1,2})\s+(\d{1,2})\s+\*\s+\*\s+\*$/.exec(schedule.trim());
  if (!m) return null;
  const [minute, hour] = [Number(m[1]), Number(m[2])];
  if (minute > 59 || hour > 23) return null;
  const next = new Date(from);
  next.setHours(hour, minute, 0, 0);
  if (next.getTime() <= from) next.setDate(next.getDate() + 1);
  return next.toISOString();
}
