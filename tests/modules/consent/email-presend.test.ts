/** Message classes on EmailPreSend (MS-7.2, TOS-1, MS-7.1): transactional always goes, marketing only with consent. */
import { startTestSuite, postHook, type TestSuite } from '../../helpers/test-suite';
import { clientAdd, consentBrand, consentService, subjectOf, CONTEXT, type TestBrand } from './marketing-fixtures';

let t: TestSuite;
let optIn: TestBrand;
let optOut: TestBrand;
let ownerKey: string;

const preSend = (b: TestBrand, messagename: string, relid: number, mergefields: Record<string, unknown> = {}) =>
  postHook(t.baseUrl, 'EmailPreSend', b.secret, { brand: b.slug, vars: { messagename, relid, mergefields: { client_first_name: 'Grace', ...mergefields } }, context: CONTEXT });

const admin = (method: string, path: string, body?: unknown) => fetch(`${t.baseUrl}/api/v1/admin/brands${path}`, {
  method, headers: { authorization: `Bearer ${ownerKey}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
});

beforeAll(async () => {
  t = await startTestSuite();
  optIn = await consentBrand(t.suite, 'mail-optin', { model: 'opt-in' });
  optOut = await consentBrand(t.suite, 'mail-optout', { model: 'opt-out' });
  ownerKey = (await t.suite.apiKeys.create({ role: 'owner', label: 'test' }, { type: 'cli', id: 'test' })).key;
  await clientAdd(t.baseUrl, optIn, 1);
  await clientAdd(t.baseUrl, optIn, 2, { marketing_emails_opt_in: 1 });
  await clientAdd(t.baseUrl, optOut, 1);
});
afterAll(() => t.close());

describe('EmailPreSend', () => {
  it('MS-7.2: service and billing notices go out whatever the marketing choice', async () => {
    for (const name of ['Invoice Created', 'Order Confirmation', 'Password Reset Validation']) {
      const res = await preSend(optIn, name, 1);
      expect(res.status).toBe(200);
      expect(res.body.abortsend).toBeUndefined();
      expect(res.body.data).toMatchObject({ messageClass: 'transactional', classSource: 'default' });
    }
  });

  it('TOS-1: marketing only with consent where the brand says so: aborted without it, sent with an unsubscribe link with it', async () => {
    const without = await preSend(optIn, 'Spring Sale', 1);
    expect(without.body).toMatchObject({ ok: true, abortsend: true, data: { messageClass: 'marketing', reason: 'no-consent' } });
    const withConsent = await preSend(optIn, 'Spring Sale', 2);
    expect(withConsent.body.abortsend).toBeUndefined();
    const mf = withConsent.body.mergefields as Record<string, string>;
    expect(mf.unsubscribe_url).toMatch(/\/b\/mail-optin\/consent\/unsubscribe\?token=/);
    expect(mf.list_unsubscribe).toBe(`<${mf.unsubscribe_url}>`);
    expect(mf.list_unsubscribe_post).toBe('List-Unsubscribe=One-Click');
    const res = await fetch(mf.unsubscribe_url.replace(/^https?:\/\/[^/]+/, t.baseUrl), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    expect((await preSend(optIn, 'Spring Sale', 2)).body).toMatchObject({ abortsend: true, data: { reason: 'suppressed' } });
  });

  it('MS-7.2: a marketing template cannot be sent as transactional', async () => {
    const set = await admin('PUT', `/${optIn.slug}/modules/consent/templates/${encodeURIComponent('Monthly Newsletter')}`, { class: 'marketing' });
    expect(set.status).toBe(200);
    // Whatever the message claims about itself, the class comes from the suite's table.
    const res = await preSend(optIn, 'Monthly Newsletter', 1, { message_class: 'transactional', type: 'general', transactional: true });
    expect(res.body).toMatchObject({ abortsend: true, data: { messageClass: 'marketing', classSource: 'brand' } });
    // An unknown template is treated as marketing (fail safe).
    expect((await preSend(optIn, 'Some Unclassed Template', 1)).body).toMatchObject({ abortsend: true, data: { messageClass: 'marketing', classSource: 'unknown' } });
    // A message the brand classes transactional goes out; the class change is audited.
    await admin('PUT', `/${optIn.slug}/modules/consent/templates/${encodeURIComponent('Maintenance Window')}`, { class: 'transactional' });
    expect((await preSend(optIn, 'Maintenance Window', 1)).body.abortsend).toBeUndefined();
    const audit = await t.suite.kernel.db('audit_log').where({ action: 'consent.template-class' });
    expect(audit.length).toBe(2);
    const list = (await (await admin('GET', `/${optIn.slug}/modules/consent/templates`)).json()) as { templates: { messagename: string; class: string; source: string }[] };
    expect(list.templates.find((x) => x.messagename === 'Monthly Newsletter')).toEqual({ messagename: 'Monthly Newsletter', class: 'marketing', source: 'brand' });
    expect(list.templates.find((x) => x.messagename === 'Invoice Created')).toMatchObject({ class: 'transactional', source: 'default' });
    const bad = await admin('PUT', `/${optIn.slug}/modules/consent/templates/X`, { class: 'promotional' });
    expect(bad.status).toBe(400);
  });

  it('WSM-19 / MS-7.1: on an opt-out brand marketing goes by default and stops at once after an opt-out', async () => {
    expect((await preSend(optOut, 'Spring Sale', 1)).body.abortsend).toBeUndefined();
    await consentService(t.suite).withdraw(optOut.slug, await subjectOf(t.suite, optOut, 1), 'marketing:email');
    expect((await preSend(optOut, 'Spring Sale', 1)).body).toMatchObject({ abortsend: true, data: { reason: 'suppressed' } });
  });

  it('WSM-11: a GPC / sale-sharing opt-out stops marketing; an unknown recipient is never mailed', async () => {
    await clientAdd(t.baseUrl, optOut, 5, {}, { gpc: true });
    expect((await preSend(optOut, 'Spring Sale', 5)).body).toMatchObject({ abortsend: true, data: { reason: 'gpc' } });
    expect((await preSend(optOut, 'Spring Sale', 9999)).body).toMatchObject({ abortsend: true, data: { reason: 'subject-unknown' } });
  });
});
