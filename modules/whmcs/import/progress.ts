/**
 * The import's progress for people: a bar (cli-progress) redrawn on stderr when stderr is a terminal; otherwise plain
 * lines — per phase every 10 % and at its end — through the CLI's Output (stderr with --json, so stdout stays JSON).
 */
import { SingleBar } from 'cli-progress';
import { t } from '../../../core/i18n';
import type { ImportProgress } from './run-import';

/** Where progress goes: a terminal stream for the bar, or a line writer. */
export interface ProgressSink { tty: NodeJS.WriteStream | null; line: (text: string) => void }

const fmt = (n: number): string => n.toLocaleString('en-US');

/** One progress line, in English like the rest of the CLI's output. */
export function progressLine(p: ImportProgress): string {
  return t('en', 'whmcs.import.progress', { phase: p.phase, done: fmt(p.done), total: p.total === null ? '?' : fmt(p.total) });
}

/** A progress reporter: `update` after each committed page, `end` when the run stops. */
export function importProgress(sink: ProgressSink): { update: (p: ImportProgress) => void; end: () => void } {
  let bar: SingleBar | null = null;
  let phase = '';
  let step = -1;
  return {
    update(p) {
      if (sink.tty) {
        if (p.phase !== phase) {
          bar?.stop();
          bar = new SingleBar({ stream: sink.tty, format: `${p.phase.padEnd(13)} [{bar}] {value}/{total}`, hideCursor: true });
          bar.start(p.total ?? p.done, 0);
        }
        bar!.setTotal(Math.max(p.total ?? p.done, p.done));
        bar!.update(p.done);
      } else {
        const pct = p.total ? Math.floor((p.done / p.total) * 10) : -1;
        if (p.phase !== phase || pct > step || (p.total !== null && p.done >= p.total)) sink.line(progressLine(p));
        step = pct;
      }
      phase = p.phase;
    },
    end() {
      bar?.stop();
      bar = null;
    },
  };
}
