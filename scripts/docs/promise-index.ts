/**
 * Keeps the "tests" column of docs/promises.md true: for each promise row, the test files whose text names one of
 * the row's IDs. `npm run docs:promises` (scripts/docs/promises.ts) rewrites the page.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
export const PROMISES_DOC = path.join(ROOT, 'docs', 'promises.md');
const ID = /^(?:MS|WSM|SP|TOS|ESM)-\d+[a-z]?(?:\.\d+)?$/;

export interface PromiseRow { line: number; ids: string[]; tests: string[] }

/** The IDs of a table row's first cell ("MS-2 / SP-3"), or none when the line is not a promise row. */
function rowIds(line: string): string[] {
  if (!line.startsWith('| ')) return [];
  const ids = line.split('|')[1].split('/').map((s) => s.trim());
  return ids.length && ids.every((id) => ID.test(id)) ? ids : [];
}

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** Whether a text names the ID as a whole word (MS-8 does not match MS-8c, MS-1 does not match MS-1.2). */
function names(text: string, id: string): boolean {
  const re = new RegExp(`(?<![A-Za-z0-9])${id.replace(/\./g, '\\.')}(?![0-9a-z]|\\.[0-9])`);
  return re.test(text);
}

/** The page with its tests column recomputed from the test tree, and the rows it found. */
export function indexPromises(doc = fs.readFileSync(PROMISES_DOC, 'utf8')): { text: string; rows: PromiseRow[] } {
  const tests = testFiles(path.join(ROOT, 'tests')).map((f) => ({ rel: path.relative(ROOT, f).split(path.sep).join('/'), text: fs.readFileSync(f, 'utf8') }));
  const rows: PromiseRow[] = [];
  const lines = doc.split('\n').map((line, i) => {
    const ids = rowIds(line);
    if (!ids.length) return line;
    const found = tests.filter((t) => ids.some((id) => names(t.text, id))).map((t) => t.rel).sort();
    rows.push({ line: i + 1, ids, tests: found });
    const cells = line.split('|');
    cells[cells.length - 2] = ` ${found.length ? found.map((f) => `\`${f}\``).join(', ') : '—'} `;
    return cells.join('|');
  });
  return { text: lines.join('\n'), rows };
}
