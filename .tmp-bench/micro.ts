import crypto from 'node:crypto';
const key = crypto.randomBytes(32);
const items = Array.from({ length: 50000 }, (_, i) => { const iv = crypto.randomBytes(12); const c = crypto.createCipheriv('aes-256-gcm', key, iv); const ct = Buffer.concat([c.update('198.51.100.' + i), c.final()]); return `v1.k.${iv.toString('base64url')}.${c.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`; });
function dec(s: string) { const [, , iv, tag, ct] = s.split('.'); const d = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url')); d.setAuthTag(Buffer.from(tag, 'base64url')); return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8'); }
async function main() {
  let t = Date.now(); for (const s of items) dec(s); console.log('decrypt sync', Date.now() - t);
  t = Date.now(); for (const s of items) await Promise.resolve(dec(s)); console.log('decrypt await', Date.now() - t);
  async function* g() { for (const s of items) yield s; }
  async function* g2() { yield* g(); }
  async function* g3() { for await (const x of g2()) yield x; }
  t = Date.now(); let n = 0; for await (const _ of g3()) n++; console.log('3-level async gen', Date.now() - t);
  t = Date.now(); n = 0; for await (const _ of g()) n++; console.log('1-level async gen', Date.now() - t);
}
main();
