/**
 * Issue 14: the retention pages of the admin panel — rules with the newest dry run's counts and approval by form
 * (SP-8), legal holds placed and released by form (MS-9 / WSM-27), run reports; read-only roles see no forms and
 * are refused a POST, another brand's user is refused (audited), another brand's run or hold is 404, a POST without
 * the CSRF token is 403, bad input names the field and writes nothing, user text is escaped.
 */
import { createPanelUser, PanelClient } from '../../helpers/admin-browser';
import { count, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { DAY, retention, retentionBrand, seedClients, subjectState } from './fixtures';

let t: TestSuite;
let brandA: number;
let closedA: number[];
const RULES = [
  { category: 'contact', from: 'account-closed', days: 30, action: 'anonymise' },
  { category: 'usage', from: 'collected', days: 30, action: 'delete' },
  { category: 'usage', from: 'last-login', days: 10, action: 'strip' }, // invalid: strip is for billing only
];
const CONTACT = 'contact:account-closed:anonymise';
const USAGE = 'usage:collected:delete';
const XSS = '<script>alert(1)</script>';
const base = (brand: string): string => `/admin/brands/${brand}/retention`;
const usage = { fields: [{ field: 'email', category: 'contact' }, { field: 'ip', category: 'usage', at: Date.now() - 45 * DAY }] };

/** The attribute of the row of `attr`=`id` (e.g. the data-eligible of a rule row). */
function rowAttr(html: string, attr: string, id: string, name: string): string | undefined {
  const row = new RegExp(`<tr data-${attr}="${id.replace(/[+.]/g, '\\$&')}"[\\s\\S]*?</tr>`).exec(html)?.[0];
  return row ? new RegExp(`data-${name}="([^"]*)"`).exec(row)?.[1] : undefined;
}

async function owner(): Promise<PanelClient> {
  return new PanelClient(t.baseUrl).login('owner@example.com');
}

beforeAll(async () => {
  t = await startTestSuite();
  brandA = await retentionBrand(t.suite, 'ret-a', RULES);
  await retentionBrand(t.suite, 'ret-b', [RULES[0]]);
  await retentionBrand(t.suite, 'ret-other', []);
  closedA = await seedClients(t.suite, brandA, [{ closedAt: Date.now() - 60 * DAY }, { closedAt: Date.now() - 40 * DAY }, { closedAt: Date.now() - 10 * DAY }]);
  await seedClients(t.suite, brandA, [usage, usage, usage]);
  await createPanelUser(t.suite.kernel, 'owner@example.com', 'owner');
  await createPanelUser(t.suite.kernel, 'auditor@example.com', 'auditor');
  await createPanelUser(t.suite.kernel, 'reseller@example.com', 'reseller', 'ret-other');
});
afterAll(async () => t?.close());

describe('retention rules page (SP-8)', () => {
  it('lists the brand\'s rules with their state, the invalid one with its reason, and the presets for the controller\'s country', async () => {
    const page = await (await owner()).get(`${base('ret-a')}/rules`);
    expect(page.status).toBe(200);
    expect(rowAttr(page.html, 'rule', CONTACT, 'state')).toBe('awaiting-approval');
    expect(rowAttr(page.html, 'rule', USAGE, 'state')).toBe('awaiting-approval');
    expect(rowAttr(page.html, 'rule', 'usage:last-login:strip', 'state')).toBe('invalid');
    expect(page.html).toContain('applies to billing only');
    expect(page.html).toContain('No dry run of this definition yet.');
    expect(page.html).toContain('Presets for GB');
    expect(page.html).toContain('data-preset="billing-statutory"');
    expect(page.html).toContain(`action="${base('ret-a')}/rules/dry-run"`);
    // No approve button before a dry run showed the rule.
    expect(page.html).not.toContain('/approve"');
  });

  it('SP-8: a dry run by form shows per rule the counts of the seeded data and changes nothing', async () => {
    const b = await owner();
    const subjectsBefore = await Promise.all(closedA.map((s) => subjectState(t.suite, s)));
    const res = await b.submit(`${base('ret-a')}/rules`, `${base('ret-a')}/rules/dry-run`, {});
    expect(res.status).toBe(303);
    const m = /\/rules\?flash=dry-run&item=(\d+)$/.exec(res.location ?? '');
    expect(m).not.toBeNull();
    const page = await b.get(res.location!);
    expect(page.html).toContain(`Dry run ${m![1]} finished`);
    // Two clients closed more than 30 days ago; three usage records older than 30 days.
    expect(rowAttr(page.html, 'rule', CONTACT, 'eligible')).toBe('2');
    expect(rowAttr(page.html, 'rule', USAGE, 'eligible')).toBe('3');
    expect(page.html).toContain('2 would be changed, 0 held, 0 restricted');
    expect(page.html).toContain(`action="${base('ret-a')}/rules/${encodeURIComponent(CONTACT)}/approve"`);
    expect(page.html).toContain(`name="dryRunId" value="${m![1]}"`);
    expect(await Promise.all(closedA.map((s) => subjectState(t.suite, s)))).toEqual(subjectsBefore);
    expect(await t.suite.kernel.db('audit_log').where({ action: 'retention.dry-run', target_id: m![1] }).first()).toBeTruthy();
  });

  it('SP-8: approving by form records the approval of the dry run it was shown; bad input names the field and approves nothing', async () => {
    const b = await owner();
    const page = await b.get(`${base('ret-a')}/rules`);
    const dryRunId = /name="dryRunId" value="(\d+)"/.exec(page.html)![1];
    const action = `${base('ret-a')}/rules/${encodeURIComponent(CONTACT)}/approve`;

    const missing = await b.submit(`${base('ret-a')}/rules`, action, {});
    expect(missing.status).toBe(400);
    expect(missing.html).toContain('<code>dryRunId</code>');
    const wrong = await b.submit(`${base('ret-a')}/rules`, action, { dryRunId: '999999' });
    expect([wrong.status, wrong.html.includes('SUITE_RETENTION_DRY_RUN_MISMATCH')]).toEqual([409, true]);
    const invalid = await b.submit(`${base('ret-a')}/rules`, `${base('ret-a')}/rules/${encodeURIComponent('usage:last-login:strip')}/approve`, { dryRunId });
    expect(invalid.status).toBe(409);
    expect(await count(t.suite, 'retention_approvals')).toBe(0);

    const res = await b.submit(`${base('ret-a')}/rules`, action, { dryRunId });
    expect(res.status).toBe(303);
    const after = await b.get(res.location!);
    expect(after.html).toContain(`Rule ${CONTACT} is approved`);
    expect(rowAttr(after.html, 'rule', CONTACT, 'state')).toBe('approved');
    expect(after.html).toContain('by owner@example.com');
    expect(rowAttr(after.html, 'rule', USAGE, 'state')).toBe('awaiting-approval');
    const row = (await t.suite.kernel.db('retention_approvals').where({ brand_id: brandA, rule_id: CONTACT }).first()) as { dry_run_id: number };
    expect(Number(row.dry_run_id)).toBe(Number(dryRunId));
    const audit = (await t.suite.kernel.audit.list({ action: 'retention.rule.approved', limit: 1 }))[0];
    expect(audit).toMatchObject({ actor: expect.stringMatching(/^user:\d+$/), target_id: CONTACT });
  });
});

describe('legal holds page (MS-9 / WSM-27)', () => {
  it('MS-9: a hold placed by form is listed (note escaped) and keeps its subject out of the dry run; released by form, it no longer does', async () => {
    const b = await owner();
    const until = new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10);
    const res = await b.submit(`${base('ret-a')}/holds`, `${base('ret-a')}/holds`, { scope: 'subject', subjectId: String(closedA[0]), category: '', reason: 'dispute', note: `Case 42 ${XSS}`, expiresAt: until });
    expect(res.status).toBe(303);
    const id = /\/holds\?flash=placed&item=(\d+)$/.exec(res.location ?? '')![1];
    const page = await b.get(res.location!);
    expect(page.html).toContain(`Hold ${id} is in force.`);
    expect(rowAttr(page.html, 'hold', id, 'status')).toBe('active');
    expect(page.html).toContain(`Subject ${closedA[0]} (whole account)`);
    expect(page.html).toContain('Case 42 &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.html).not.toContain(XSS);
    expect(page.html).toContain('owner@example.com');
    expect(page.html).toContain(`action="${base('ret-a')}/holds/${id}/release"`);
    // The list is an audited read, as through the admin API.
    expect(await t.suite.kernel.db('audit_log').where({ action: 'retention.holds.read', brand_id: brandA }).first()).toBeTruthy();

    const dry = await b.get((await b.submit(`${base('ret-a')}/rules`, `${base('ret-a')}/rules/dry-run`, {})).location!);
    expect([rowAttr(dry.html, 'rule', CONTACT, 'eligible'), rowAttr(dry.html, 'rule', CONTACT, 'held')]).toEqual(['1', '1']);

    const released = await b.submit(`${base('ret-a')}/holds`, `${base('ret-a')}/holds/${id}/release`, {});
    expect(released.status).toBe(303);
    const after = await b.get(released.location!);
    expect(after.html).toContain(`Hold ${id} is released.`);
    expect(rowAttr(after.html, 'hold', id, 'status')).toBe('released');
    expect(after.html).not.toContain(`action="${base('ret-a')}/holds/${id}/release"`);
    expect(await t.suite.kernel.db('audit_log').where({ action: 'retention.hold.released', target_id: id }).first()).toBeTruthy();
    // Released once: again is a 409.
    expect((await b.submit(`${base('ret-a')}/holds`, `${base('ret-a')}/holds/${id}/release`, {})).status).toBe(409);
    const dry2 = await b.get((await b.submit(`${base('ret-a')}/rules`, `${base('ret-a')}/rules/dry-run`, {})).location!);
    expect([rowAttr(dry2.html, 'rule', CONTACT, 'eligible'), rowAttr(dry2.html, 'rule', CONTACT, 'held')]).toEqual(['2', '0']);
  });

  it('a brand hold and a category hold need no subject; bad input is a 400 naming each field, shown again, and writes nothing', async () => {
    const b = await owner();
    const holds = await count(t.suite, 'retention_holds');
    const seq = Number(((await t.suite.kernel.db('audit_log').max({ m: 'seq' }).first()) as { m: number }).m);
    const cases: [Record<string, string>, string][] = [
      [{ scope: 'subject', subjectId: String(closedA[1]), reason: '' }, 'reason'],
      [{ scope: 'subject', subjectId: '', reason: 'fraud' }, 'subjectId'],
      [{ scope: 'subject', subjectId: 'abc', reason: 'fraud' }, 'subjectId'],
      [{ scope: 'category', category: '', reason: 'fraud' }, 'category'],
      [{ scope: 'brand', category: 'usage', reason: 'fraud' }, 'category'],
      [{ scope: 'brand', reason: XSS }, 'reason'],
      [{ scope: 'planet', reason: 'fraud' }, 'scope'],
      [{ scope: 'brand', reason: 'fraud', expiresAt: '2020-01-01' }, 'expiresAt'],
      [{ scope: 'brand', reason: 'fraud', expiresAt: '2030-02-31' }, 'expiresAt'],
      [{ scope: 'brand', reason: 'fraud', note: 'x'.repeat(501) }, 'note'],
    ];
    for (const [fields, field] of cases) {
      const res = await b.submit(`${base('ret-a')}/holds`, `${base('ret-a')}/holds`, fields);
      expect([res.status, res.html.includes(`<code>${field}</code>`)]).toEqual([400, true]);
      expect(res.html).toContain('The hold was not placed.');
      expect(res.html).toContain('aria-invalid="true"');
      expect(res.html).not.toContain(XSS);
    }
    // A subject of another brand is not this brand's to hold.
    const [other] = await seedClients(t.suite, (await t.suite.kernel.brands.get('ret-b')).id, [{}]);
    const foreign = await b.submit(`${base('ret-a')}/holds`, `${base('ret-a')}/holds`, { scope: 'subject', subjectId: String(other), reason: 'fraud' });
    expect([foreign.status, foreign.html.includes('<code>subjectId</code>')]).toEqual([400, true]);
    // The refused form keeps what was typed (escaped).
    const kept = await b.submit(`${base('ret-a')}/holds`, `${base('ret-a')}/holds`, { scope: 'brand', reason: '', note: `ref ${XSS}` });
    expect(kept.html).toContain('value="ref &lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(await count(t.suite, 'retention_holds')).toBe(holds);
    // Nothing but the audited reads of the (re-)shown list was written.
    const actions = ((await t.suite.kernel.db('audit_log').where('seq', '>', seq).select('action')) as { action: string }[]).map((r) => r.action);
    expect(actions.length).toBeGreaterThan(cases.length);
    expect(new Set(actions)).toEqual(new Set(['retention.holds.read']));

    const brandHold = await b.submit(`${base('ret-a')}/holds`, `${base('ret-a')}/holds`, { scope: 'category', category: 'usage', reason: 'authority-request' });
    expect(brandHold.status).toBe(303);
    const page = await b.get(brandHold.location!);
    expect(page.html).toContain('Category: Usage data');
    expect(page.html).toContain('Until released');
    const rules = await b.get(`${base('ret-a')}/rules`);
    expect(rules.html).toMatch(/Kept out by holds \d+/);
    await b.submit(`${base('ret-a')}/holds`, `${base('ret-a')}/holds/${/item=(\d+)/.exec(brandHold.location!)![1]}/release`, {});
  });
});

describe('retention runs pages (SP-8)', () => {
  it('SP-8: a run started by form runs in the background; its report page shows the counts per rule; the list shows it', async () => {
    const id = await retentionBrand(t.suite, 'ret-run', [RULES[0]]);
    const subjects = await seedClients(t.suite, id, [{ closedAt: Date.now() - 60 * DAY }, { closedAt: Date.now() - 50 * DAY }, { closedAt: Date.now() - 5 * DAY }]);
    const b = await owner();
    const dry = await b.submit(`${base('ret-run')}/runs`, `${base('ret-run')}/runs`, { dryRun: '1' });
    expect(dry.status).toBe(303);
    const dryPage = await b.get(dry.location!);
    expect(dryPage.html).toMatch(/Dry run \d+ finished; it changed nothing\./);
    expect(rowAttr(dryPage.html, 'rule', CONTACT, 'eligible')).toBe('2');
    expect(dryPage.html).toContain(`subject ${subjects[0]}`);
    const dryRunId = /runs\/(\d+)\?/.exec(dry.location!)![1];
    await b.submit(`${base('ret-run')}/rules`, `${base('ret-run')}/rules/${encodeURIComponent(CONTACT)}/approve`, { dryRunId });

    const res = await b.submit(`${base('ret-run')}/runs`, `${base('ret-run')}/runs`, {});
    expect(res.status).toBe(303);
    const runId = /\/runs\/(\d+)\?flash=started&item=\d+$/.exec(res.location ?? '')![1];
    await retention(t.suite).settle();
    const report = await b.get(res.location!);
    expect(report.status).toBe(200);
    expect(report.html).toContain(`Run ${runId} started`);
    expect(report.html).toContain('data-state="finished"');
    expect(rowAttr(report.html, 'rule', CONTACT, 'processed')).toBe('2');
    expect(rowAttr(report.html, 'rule', CONTACT, 'state')).toBe('done');
    expect(report.html).toContain('2 processed, ');
    expect((await subjectState(t.suite, subjects[0])).status).toBe('erased');
    expect((await subjectState(t.suite, subjects[2])).status).not.toBe('erased');

    const list = await b.get(`${base('ret-run')}/runs`);
    expect(rowAttr(list.html, 'run', runId, 'state')).toBe('finished');
    expect(rowAttr(list.html, 'run', dryRunId, 'state')).toBe('finished');
    expect(list.html).toContain(`href="${base('ret-run')}/runs/${runId}"`);
    expect(list.html).toContain('Next scheduled sweep: ');
  });

  it('SP-8: while another run holds the sweep\'s lease, starting one is a 409 page and starts nothing', async () => {
    const { Leases } = await import('../../../core/scheduler/leases');
    const other = new Leases(t.suite.kernel.db, 'i_other_instance');
    expect(await other.acquire('retention:sweep', 60_000)).toBe(true);
    try {
      const b = await owner();
      const runs = await count(t.suite, 'retention_runs');
      const res = await b.submit(`${base('ret-b')}/runs`, `${base('ret-b')}/runs`, {});
      expect([res.status, res.html.includes('SUITE_RETENTION_BUSY')]).toEqual([409, true]);
      expect(await count(t.suite, 'retention_runs')).toBe(runs);
    } finally {
      await other.release('retention:sweep');
    }
  });
});

describe('retention pages: roles, brands, CSRF, escaping', () => {
  it('an auditor reads every page without forms; each POST is 403 and writes nothing', async () => {
    const b = await new PanelClient(t.baseUrl).login('auditor@example.com');
    const runId = String((await retention(t.suite).runs(await t.suite.kernel.brands.get('ret-a')))[0].runId);
    const holdId = String((await t.suite.kernel.db('retention_holds').where({ brand_id: brandA }).first('id') as { id: number }).id);
    for (const p of ['rules', 'holds', 'runs', `runs/${runId}`]) {
      const page = await b.get(`${base('ret-a')}/${p}`);
      expect([p, page.status]).toEqual([p, 200]);
      expect(page.html).not.toMatch(/<form method="post" action="\/admin\/brands\/ret-a\/retention/);
    }
    expect((await b.get(`${base('ret-a')}/rules`)).html).toContain('Your role may only read');
    const token = await b.csrf(`${base('ret-a')}/rules`);
    const runs = await count(t.suite, 'retention_runs');
    const holds = await count(t.suite, 'retention_holds');
    const approvals = await count(t.suite, 'retention_approvals');
    const posts: [string, Record<string, string>][] = [
      ['rules/dry-run', {}], [`rules/${encodeURIComponent(USAGE)}/approve`, { dryRunId: runId }], ['holds', { scope: 'brand', reason: 'fraud' }],
      [`holds/${holdId}/release`, {}], ['runs', {}], ['runs', { dryRun: '1' }],
    ];
    for (const [p, fields] of posts) expect([p, (await b.post(`${base('ret-a')}/${p}`, { _csrf: token, ...fields })).status]).toEqual([p, 403]);
    expect([await count(t.suite, 'retention_runs'), await count(t.suite, 'retention_holds'), await count(t.suite, 'retention_approvals')]).toEqual([runs, holds, approvals]);
  });

  it('a reseller of another brand is refused every page of this brand with 403, audited admin.brand.forbidden', async () => {
    const b = await new PanelClient(t.baseUrl).login('reseller@example.com');
    expect((await b.get(`${base('ret-other')}/rules`)).status).toBe(200);
    const before = (await t.suite.kernel.audit.list({ action: 'admin.brand.forbidden', limit: 100 })).length;
    for (const p of ['rules', 'holds', 'runs']) expect((await b.get(`${base('ret-a')}/${p}`)).status).toBe(403);
    const token = await b.csrf(`${base('ret-other')}/holds`);
    const holds = await count(t.suite, 'retention_holds');
    expect((await b.post(`${base('ret-a')}/holds`, { _csrf: token, scope: 'brand', reason: 'fraud' })).status).toBe(403);
    expect(await count(t.suite, 'retention_holds')).toBe(holds);
    const refused = await t.suite.kernel.audit.list({ action: 'admin.brand.forbidden', limit: 100 });
    expect(refused.length - before).toBe(4);
    expect(refused[0]).toMatchObject({ brand_id: brandA, target_type: 'brand', target_id: 'ret-a', actor: expect.stringMatching(/^user:\d+$/) });
  });

  it('another brand\'s run or hold id is 404 and changes nothing', async () => {
    const b = await owner();
    const runId = (await retention(t.suite).runs(await t.suite.kernel.brands.get('ret-a')))[0].runId;
    expect((await b.get(`${base('ret-b')}/runs/${runId}`)).status).toBe(404);
    expect((await b.get(`${base('ret-b')}/runs/abc`)).status).toBe(400);
    const placed = await b.submit(`${base('ret-a')}/holds`, `${base('ret-a')}/holds`, { scope: 'brand', reason: 'other' });
    const holdId = /item=(\d+)/.exec(placed.location!)![1];
    const res = await b.submit(`${base('ret-b')}/holds`, `${base('ret-b')}/holds/${holdId}/release`, {});
    expect(res.status).toBe(404);
    expect(rowAttr((await b.get(`${base('ret-a')}/holds`)).html, 'hold', holdId, 'status')).toBe('active');
    expect((await b.get(`${base('ret-b')}/holds`)).html).not.toContain(`data-hold="${holdId}"`);
    await b.submit(`${base('ret-a')}/holds`, `${base('ret-a')}/holds/${holdId}/release`, {});
  });

  it('a POST without the CSRF token (or with a wrong one) is 403 and writes nothing', async () => {
    const b = await owner();
    await b.get(`${base('ret-a')}/holds`);
    const holds = await count(t.suite, 'retention_holds');
    const runs = await count(t.suite, 'retention_runs');
    expect((await b.post(`${base('ret-a')}/holds`, { scope: 'brand', reason: 'fraud' })).status).toBe(403);
    expect((await b.post(`${base('ret-a')}/holds`, { _csrf: 'x'.repeat(64), scope: 'brand', reason: 'fraud' })).status).toBe(403);
    expect((await b.post(`${base('ret-a')}/rules/dry-run`, {})).status).toBe(403);
    expect((await b.post(`${base('ret-a')}/runs`, {})).status).toBe(403);
    expect([await count(t.suite, 'retention_holds'), await count(t.suite, 'retention_runs')]).toEqual([holds, runs]);
  });

  it('escapes a brand named <script>alert(1)</script> on every page; Arabic pages lay out right to left', async () => {
    await t.suite.kernel.brands.create({ slug: 'ret-xss', name: XSS, profile: { controller: { name: 'X Ltd', email: 'dpo@x.example', country: 'GB' }, retention: [RULES[0]] } }, { type: 'cli', id: 'test' });
    const b = await owner();
    for (const p of ['rules', 'holds', 'runs']) {
      const page = await b.get(`${base('ret-xss')}/${p}`);
      expect(page.status).toBe(200);
      expect(page.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page.html).not.toContain(XSS);
    }
    // A crafted flash link puts no words of its own on a page: the item must be one of the page's rules, holds or runs.
    for (const p of ['rules?flash=approved', 'rules?flash=dry-run', 'holds?flash=placed', 'runs/1?flash=started']) {
      const page = await b.get(`${base('ret-a')}/${p}&item=${encodeURIComponent(XSS)}`);
      expect([p, page.html.includes('role="status"'), page.html.includes(XSS)]).toEqual([p, false, false]);
    }
    const ar = await new PanelClient(t.baseUrl, { 'accept-language': 'ar' }).login('owner@example.com');
    const page = await ar.get(`${base('ret-a')}/rules`);
    expect(page.html).toContain('dir="rtl"');
    expect(page.html).toContain('قواعد الاحتفاظ');
  });
});
