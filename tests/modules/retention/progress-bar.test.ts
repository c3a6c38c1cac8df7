/** SP-8: the CLI's progress bar — redrawn in place on a terminal, one line every 5 % (and at each rule's end) elsewhere. */
import { barLine, progressBar } from '../../../modules/retention/sweep/progress-bar';

const p = (done: number, total = 10_000, ruleId = 'contact:account-closed:anonymise') => ({ runId: 1, brand: 'masterserver', ruleId, done, total, batches: 1 });

describe('progress bar (SP-8)', () => {
  it('SP-8: the bar line shows done/total subjects with brand and rule', () => {
    expect(barLine(p(4200))).toBe('retention [########------------] 4,200/10,000 subjects (masterserver / contact:account-closed:anonymise)');
    expect(barLine(p(0, 0))).toBe('retention [####################] 0/0 subjects (masterserver / contact:account-closed:anonymise)');
  });

  it('SP-8: on a terminal it redraws one line; on a pipe it writes a line per 5 % step and per rule', () => {
    const tty: string[] = [];
    const bar = progressBar({ isTTY: true, write: (s) => tty.push(s) });
    for (let d = 500; d <= 10_000; d += 500) bar.update(p(d));
    bar.update(p(10, 10, 'usage:collected:delete'));
    bar.end();
    expect(tty.filter((s) => s.startsWith('\r\u001b[2K'))).toHaveLength(21);
    expect(tty.filter((s) => s === '\n')).toHaveLength(2);

    const pipe: string[] = [];
    const lines = progressBar({ isTTY: false, write: (s) => pipe.push(s) });
    for (let d = 100; d <= 10_000; d += 100) lines.update(p(d));
    lines.update(p(5, 10, 'usage:collected:delete'));
    lines.update(p(10, 10, 'usage:collected:delete'));
    lines.end();
    expect(pipe).toHaveLength(21 + 2); // 0 %, 5 %, …, 100 % of the first rule; start and end of the second
    expect(pipe.every((s) => s.endsWith('\n') && s.startsWith('retention ['))).toBe(true);
    expect(pipe[20]).toContain('10,000/10,000');
  });
});
