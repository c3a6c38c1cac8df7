import { JsonDoc } from '../modules/rights/export/export-json';
import { HtmlDoc } from '../modules/rights/export/export-html';
import { csvRecordLines } from '../modules/rights/export/export-csv';
const rows = Array.from({ length: 50000 }, (_, i) => ({ id: i + 1, action: 'login', ip: '198.51.100.' + (i % 250), at: 1796108322318 + i }));
const src: any = { subject: { id: 1 }, fields: [], summaries: [], sets: [] };
const meta: any = { generatedAt: Date.now(), locale: 'de', brand: { slug: 'x', name: 'x' }, controller: null, request: { id: 1, type: 'access', receivedAt: Date.now() } };
const set: any = { module: 'platform', name: 'activity', category: 'usage' };
for (let r = 0; r < 3; r++) {
  let t = Date.now(); const j = new JsonDoc(meta, src); j.setStart(set); let n = 0; for (const row of rows) n += j.row(row).length; console.log('json', Date.now() - t);
  t = Date.now(); const h = new HtmlDoc(meta, src); h.setStart(set); n = 0; for (const row of rows) n += h.row(row).length; console.log('html', Date.now() - t);
  t = Date.now(); n = 0; rows.forEach((row, i) => { n += csvRecordLines(set, row, i).length; }); console.log('csv', Date.now() - t);
}
