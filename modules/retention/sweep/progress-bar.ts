/**
 * The CLI's progress bar on stderr: `retention [#####-----] 4,200/10,000 subjects (masterserver / contact:account-closed)`,
 * redrawn in place on a terminal; elsewhere (a log file, a pipe) one line per rule every 5 % and at its end.
 */
import { t } from '../../../core/i18n';
import type { SweepProgress } from './process-run';

/** Where the bar is drawn (process.stderr). */
export interface ProgressStream { write: (text: string) => unknown; isTTY?: boolean }

const WIDTH = 20;
const fmt = (n: number): string => n.toLocaleString('en-US');

/** One bar line for a progress report, in English like all of the CLI's output (an operator's terminal or a log file). */
export function barLine(p: Pick<SweepProgress, 'brand' | 'ruleId' | 'done' | 'total'>): string {
  const total = Math.max(p.total, p.done);
  const filled = total ? Math.round((p.done / total) * WIDTH) : WIDTH;
  return t('en', 'retention.progress', { bar: `${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}`, done: fmt(p.done), total: fmt(total), brand: p.brand, rule: p.ruleId });
}

/** A bar drawing to `stream`: `update` after each batch, `end` once the run stops. */
export function progressBar(stream: ProgressStream): { update: (p: SweepProgress) => void; end: () => void } {
  let key = '';
  let step = -1;
  let open = false;
  return {
    update(p) {
      const k = `${p.runId}/${p.brand}/${p.ruleId}`;
      const total = Math.max(p.total, p.done);
      const pct = total ? Math.floor((p.done / total) * 20) : 20;
      if (stream.isTTY) {
        if (k !== key && open) stream.write('\n');
        stream.write(`\r\u001b[2K${barLine(p)}`);
        open = true;
      } else if (k !== key || pct > step || p.done >= total) {
        if (k === key && pct === step) return;
        stream.write(`${barLine(p)}\n`);
      }
      key = k;
      step = pct;
    },
    end() {
      if (open) stream.write('\n');
      open = false;
    },
  };
}
