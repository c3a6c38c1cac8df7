/**
 * A deposit's progress for people on the CLI: a bar (cli-progress) redrawn on stderr when it is a terminal; otherwise
 * plain lines every 10 % and at the end of each brand's deposit. Nothing is drawn with --json (the CLI passes no stream).
 */
import { SingleBar } from 'cli-progress';
import { t } from '../../core/i18n';
import type { DepositProgress } from './deposit/build-deposit';

/** Where progress goes (process.stderr). */
export interface ProgressStream { write: (text: string) => unknown; isTTY?: boolean }

const fmt = (n: number): string => n.toLocaleString('en-US');

/** One progress line, in English like the rest of the CLI's output. */
export function progressLine(p: DepositProgress): string {
  return t('en', 'escrow.progress', { brand: p.brand, kind: p.kind, done: fmt(p.done), total: fmt(p.total) });
}

/** A reporter: `update` after each page, `end` when the run stops. */
export function depositProgress(stream: ProgressStream): { update: (p: DepositProgress) => void; end: () => void } {
  let bar: SingleBar | null = null;
  let key = '';
  let step = -1;
  return {
    update(p) {
      const k = `${p.brand}/${p.kind}`;
      if (stream.isTTY) {
        if (k !== key) {
          bar?.stop();
          bar = new SingleBar({ stream: stream as NodeJS.WriteStream, format: `escrow ${p.brand} ${p.kind} [{bar}] {value}/{total}`, hideCursor: true });
          bar.start(Math.max(p.total, 1), 0);
        }
        bar!.setTotal(Math.max(p.total, p.done, 1));
        bar!.update(p.done);
      } else {
        const pct = p.total ? Math.floor((p.done / p.total) * 10) : 10;
        if (k !== key || pct > step || p.done >= p.total) {
          if (!(k === key && pct === step)) stream.write(`${progressLine(p)}\n`);
        }
        step = pct;
      }
      key = k;
    },
    end() {
      bar?.stop();
      bar = null;
    },
  };
}
