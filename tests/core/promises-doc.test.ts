// docs/promises.md is the promise catalogue a clone carries: every row is proved by a test, and its tests column is current.
import fs from 'node:fs';
import { indexPromises, PROMISES_DOC } from '../../scripts/docs/promise-index';

describe('docs/promises.md', () => {
  const doc = fs.readFileSync(PROMISES_DOC, 'utf8');
  const { text, rows } = indexPromises(doc);

  it('lists the promise IDs of all five policies', () => {
    const ids = rows.flatMap((r) => r.ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const prefix of ['MS-', 'WSM-', 'SP-', 'TOS-', 'ESM-']) expect(ids.some((id) => id.startsWith(prefix))).toBe(true);
    expect(ids.length).toBeGreaterThanOrEqual(50); // the five policies hold 50 promise IDs (this file names none, so it proves none)
  });

  it('names at least one test for every promise row', () => {
    expect(rows.filter((r) => !r.tests.length).map((r) => r.ids.join(' / '))).toEqual([]);
  });

  it('has a tests column that matches the test names (npm run docs:promises rewrites it)', () => {
    expect(text).toBe(doc);
  });
});
