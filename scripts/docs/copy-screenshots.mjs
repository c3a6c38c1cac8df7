// Copies the screenshots the last test run saved (test-output/screenshots/) to docs/screenshots/, shown by the
// README and the manuals. Run after `npm test` (or one browser test) when the pages changed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const from = path.join(root, 'test-output', 'screenshots');
const to = path.join(root, 'docs', 'screenshots');
if (!fs.existsSync(from)) {
  console.error(`No screenshots in ${path.relative(root, from)}: run npm test (or a *.browser.test.ts) first.`);
  process.exit(1);
}
fs.mkdirSync(to, { recursive: true });
const files = fs.readdirSync(from).filter((f) => f.endsWith('.png')).sort();
for (const f of files) fs.copyFileSync(path.join(from, f), path.join(to, f));
console.log(`Copied ${files.length} screenshots to ${path.relative(root, to)}: ${files.join(', ')}`);
