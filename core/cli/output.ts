/** CLI output: one JSON document on stdout with --json, readable lines otherwise; progress never pollutes JSON. */

/** Where a command writes: its result, progress lines and events, in JSON or human form. */
export class Output {
  constructor(readonly json: boolean) {}

  /** A plain line for people (suppressed in JSON mode, where only the result goes to stdout). */
  line(text = ''): void {
    if (!this.json) process.stdout.write(`${text}\n`);
  }

  /** A progress line: stdout for people, stderr in JSON mode so stdout stays parseable. */
  progress(text: string): void {
    if (this.json) process.stderr.write(`${text}\n`);
    else process.stdout.write(`${text}\n`);
  }

  /** The command's result: pretty JSON with --json, otherwise what `human` prints. */
  result(data: unknown, human: () => void): void {
    if (this.json) process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else human();
  }

  /** One event of a long-running command: a compact JSON line with --json, otherwise what `human` prints. */
  event(data: Record<string, unknown>, human: () => void): void {
    if (this.json) process.stdout.write(`${JSON.stringify(data)}\n`);
    else human();
  }

  /** Prints rows as aligned columns (human mode only). */
  table(rows: Record<string, unknown>[], columns: string[]): void {
    if (this.json) return;
    const cells = rows.map((r) => columns.map((c) => (r[c] === null || r[c] === undefined ? '-' : String(r[c]))));
    const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
    const fmt = (row: string[]): string => row.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
    this.line(fmt(columns.map((c) => c.toUpperCase())));
    for (const row of cells) this.line(fmt(row));
  }
}

/** An epoch-millisecond timestamp as ISO 8601 (or null). */
export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString();
}
