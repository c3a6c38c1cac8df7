/**
 * ESM-3: customers' mailing lists and mail streams are the data category `mail-content`, handled like every other
 * category: a profile maps panel fields to it, a person's export carries it, a retention rule deletes it on time, and
 * erasure removes it. The ESM demo profile maps its mailing-list fields to it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { collectSources, categoriesOf } from '../../modules/rights/export/export-sources';
import { approveAll, DAY, NOW, retention, retentionBrand, seedClients, subjectState } from '../modules/retention/fixtures';
import { startTestSuite, type TestSuite } from '../helpers/test-suite';

let t: TestSuite;
let brandId: number;

const RULES = [
  { category: 'mail-content', from: 'collected', days: 30, action: 'delete' },
  { category: 'contact', from: 'account-closed', days: 365, action: 'anonymise' },
];
const mail = (at: number) => [
  { field: 'email', category: 'contact' }, { field: 'firstname', category: 'contact' },
  { field: 'custom_21', category: 'mail-content', at }, { field: 'custom_22', category: 'mail-content', at },
];

beforeAll(async () => {
  t = await startTestSuite({ http: false });
  brandId = await retentionBrand(t.suite, 'mail-esm', RULES, { inventory: { customFields: { 21: 'mail-content', 22: 'mail-content' } } });
  await approveAll(t.suite, 'mail-esm');
});
afterAll(async () => t?.close());

describe('ESM-3: mail content is a category like the others', () => {
  it('ESM-3: a custom field mapped to mail-content is stored under that category (hook path)', async () => {
    await t.suite.hooks.run('ClientAdd', { client_id: 9001, email: 'list.owner@example.org', customFields: { 21: 'newsletter: 4,210 addresses' } }, { brand: 'mail-esm' });
    const s = await t.suite.kernel.subjects.findByExternal(brandId, 'client', 9001);
    expect((await t.suite.kernel.subjects.fields(s!.id)).find((f) => f.name === 'custom_21')?.category).toBe('mail-content');
  });

  it("ESM-3: a person's export carries the mail-content fields, in their own category", async () => {
    const s = await t.suite.kernel.subjects.findByExternal(brandId, 'client', 9001);
    const sources = await collectSources(t.suite.kernel, await t.suite.kernel.brands.get('mail-esm'), s!.id);
    expect(categoriesOf(sources)).toContain('mail-content');
    expect(sources.fields.find((f) => f.category === 'mail-content')?.value).toBe('newsletter: 4,210 addresses');
  });

  it('ESM-3: the retention rule deletes mail content collected 30 days ago and keeps the rest; erasure of a closed account removes it too', async () => {
    const [onDay, dayBefore, closed] = await seedClients(t.suite, brandId, [
      { fields: mail(NOW - 30 * DAY) },
      { fields: mail(NOW - 29 * DAY) },
      { closedAt: NOW - 365 * DAY, fields: mail(NOW - DAY) },
    ]);
    const out = await retention(t.suite).run({ now: NOW, brand: 'mail-esm' });
    expect(out.ok).toBe(true);
    expect(await subjectState(t.suite, onDay)).toEqual({ status: 'active', fields: { contact: ['email', 'firstname'] } });
    expect(await subjectState(t.suite, dayBefore)).toEqual({ status: 'active', fields: { contact: ['email', 'firstname'], 'mail-content': ['custom_21', 'custom_22'] } });
    expect(await subjectState(t.suite, closed)).toEqual({ status: 'erased', fields: {} });
  });

  it('ESM-3: the ESM demo profile maps its mailing-list fields to mail-content and keeps them to spam control', () => {
    const file = path.resolve(__dirname, '../../scripts/demo/profiles/email-server-management.json');
    const p = JSON.parse(fs.readFileSync(file, 'utf8')) as { inventory?: { customFields?: Record<string, string> }; access: Record<string, string[]> };
    const mapped = Object.values(p.inventory?.customFields ?? {});
    expect(mapped.length).toBeGreaterThan(0);
    expect(new Set(mapped)).toEqual(new Set(['mail-content']));
    expect(p.access['mail-content']).toEqual(['spam-control']);
  });
});
