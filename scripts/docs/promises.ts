/** `npm run docs:promises`: rewrites the tests column of docs/promises.md (`--check`: only says whether it is current). */
import fs from 'node:fs';
import { indexPromises, PROMISES_DOC } from './promise-index';
const current = fs.readFileSync(PROMISES_DOC, 'utf8');
const { text, rows } = indexPromises(current);
const untested = rows.filter((r) => !r.tests.length).map((r) => r.ids.join(' / '));
if (process.argv.includes('--check')) {
  if (text !== current) { console.error('docs/promises.md is out of date: run npm run docs:promises'); process.exit(1); }
} else fs.writeFileSync(PROMISES_DOC, text);
console.log(`${rows.length} promise rows, ${rows.reduce((n, r) => n + r.ids.length, 0)} IDs${untested.length ? `; no test names ${untested.join(', ')}` : ''}`);
if (untested.length) process.exit(1);
