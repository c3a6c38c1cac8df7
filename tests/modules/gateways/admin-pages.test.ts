/**
 * Issue 16 point 6: a gateway's admin pages and admin API (the kit's factories, as the installed gateways/stripe mounts
 * them; its refund stubbed, the Stripe tests refund through the real SDK). Pages need a log-in; another brand's
 * page is 403 (audited), its API 403; the overview shows the mode (live in a warning tone), the key variables by name
 * with set or not and never a value (SP-8), the webhook URL and counts; the transaction list and API show amounts
 * and the processor's ids, never card data or customer ids (TOS-1.2); webhook failures are listed; a refund needs the
 * CSRF token and a write role, is validated (400 naming the field), and goes through the gateway's service.
 */
import { moduleSettings } from '../../../core/profile/module-settings';
import { SuiteError } from '../../../core/errors';
import type { Brand } from '../../../core/brands/brand';
import type { GatewayService, RefundResult } from '../../../modules/gateways/kit/contract';
import { gatewayError } from '../../../modules/gateways/kit/errors';
import { WebhookEvents } from '../../../modules/gateways/kit/events';
import { Payments } from '../../../modules/gateways/kit/payments';
import { PaymentTokens } from '../../../modules/gateways/kit/tokens';
import { createPanelUser, PanelClient } from '../../helpers/admin-browser';
import { createBrand, PROVIDER_PROFILE, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { adminKey, type Json } from '../rights/fixtures';

const G = 'gateways/stripe';
/** Variable names only these tests use, so the suite's real ones are left alone. */
const SECRET_VAR = 'GW_ADMIN_TEST_SECRET_KEY';
const WEBHOOK_VAR = 'GW_ADMIN_TEST_WEBHOOK_SECRET';
const SECRET_VALUE = 'sk_live_51GwAdminTestSecretValueNeverShown';
/** What the token row holds for the payer of invoice 101: none of it may appear on a page or in an answer. */
const CARD = { customerId: 'cus_GwAdminCustomer9', paymentMethodId: 'pm_GwAdminMethod77', cardBrand: 'mastercard', last4: '8431', expMonth: 11, expYear: 2039 };
const PAYER_SUBJECT = 9_876_543;

/** The stubbed refund: records calls and answers what the test sets. */
const refunds: { brand: string; invoiceId: number; amount?: number }[] = [];
let answer: (invoiceId: number, amount?: number) => Promise<RefundResult> = async (invoiceId) => ({ status: 'success', transid: `re_${invoiceId}`, rawdata: {} });
const fakeRefund = async (brand: Brand, invoiceId: number, amount?: number): Promise<RefundResult> => {
  refunds.push({ brand: brand.slug, invoiceId, ...(amount === undefined ? {} : { amount }) });
  const result = await answer(invoiceId, amount);
  // As a gateway does: the payment row counts what was refunded.
  const row = result.status === 'success' ? await new Payments('stripe').paidFor(t.suite.kernel.db, brand.id, invoiceId) : undefined;
  if (row) {
    const refunded = amount === undefined ? row.amount : row.refunded + amount;
    await new Payments('stripe').update(t.suite.kernel.db, row.id, { refunded, status: refunded >= row.amount ? 'refunded' : 'partially-refunded' });
  }
  return result;
};


let t: TestSuite;
const ids: Record<string, number> = {};
const keys: Record<string, string> = {};
const page = (brand: string, p: string): string => `/admin/brands/${brand}/gateways/stripe/${p}`;
const section = (mode: 'test' | 'live'): Record<string, unknown> => ({ enabled: true, mode, currency: 'eur', recipient: 'stripe', purpose: 'billing', secretKeyVar: SECRET_VAR, webhookSecretVar: WEBHOOK_VAR });

async function api(key: string, brand: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json; text: string }> {
  const res = await fetch(`${t.baseUrl}/api/v1/admin/brands/${brand}/modules/${G}${path}`, {
    method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Json, text };
}

/** A payment row as the gateway module writes it: opened, then what the processor reported. */
async function payment(brand: string, invoiceId: number, amount: number, report: { status: 'paid' | 'declined' | 'pending' | 'partially-refunded'; transactionId?: string; refunded?: number; failureCode?: string }, subjectId: number | null = PAYER_SUBJECT): Promise<void> {
  const store = new Payments('stripe');
  const row = await store.opened(t.suite.kernel.db, { brandId: ids[brand], invoiceId, subjectId, reference: `cs_test_${brand}_${invoiceId}`, amount, currency: 'eur', mode: 'live' });
  if (report.status !== 'pending') await store.update(t.suite.kernel.db, row.id, { status: report.status, transactionId: report.transactionId ?? null, refunded: report.refunded, failureCode: report.failureCode });
}

async function login(email: string): Promise<PanelClient> {
  return new PanelClient(t.baseUrl).login(email);
}

/** The text of the row `data-<attr>="<id>"`. */
const row = (html: string, attr: string, id: string): string => new RegExp(`<tr data-${attr}="${id}"[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';

/** Asserts that nothing of the saved card, the payer's processor ids or the payer's subject id is in `text`. */
function noCardData(text: string): void {
  for (const v of [CARD.customerId, CARD.paymentMethodId, CARD.cardBrand, CARD.last4, String(CARD.expYear), String(PAYER_SUBJECT)]) expect([v, text.includes(v)]).toEqual([v, false]);
}

beforeAll(async () => {
  t = await startTestSuite();
  jest.spyOn(t.suite.kernel.service<GatewayService>(G), 'refund').mockImplementation(fakeRefund);
  const actor = { type: 'cli' as const, id: 'test' };
  await createBrand(t.suite, 'gw-a', { profile: { ...PROVIDER_PROFILE, modules: { consent: { publicUrl: 'https://pay.gw-a.example/' }, [G]: section('live') } } });
  await createBrand(t.suite, 'gw-b', { profile: { ...PROVIDER_PROFILE, modules: { [G]: section('test') } } });
  await createBrand(t.suite, 'gw-bare');
  // A section stored before today's schema (a save would refuse it): what the pages show when the settings are unusable.
  await t.suite.kernel.db('brands').where({ slug: 'gw-bare' }).update({ profile: JSON.stringify({ ...PROVIDER_PROFILE, modules: { [G]: { mode: 'sandbox' } } }) });
  t.suite.kernel.brands.invalidate();
  await createBrand(t.suite, 'gw-many', { profile: { ...PROVIDER_PROFILE, modules: { [G]: section('test') } } });
  for (const slug of ['gw-a', 'gw-b', 'gw-bare', 'gw-many']) {
    ids[slug] = (await t.suite.kernel.brands.get(slug)).id;
    await t.suite.kernel.brands.setEnabled(slug, 'module', G, true, actor);
  }
  await payment('gw-a', 101, 12.5, { status: 'paid', transactionId: 'pi_GwAdminPaid101' });
  await payment('gw-a', 102, 40, { status: 'declined', failureCode: 'card_declined' });
  await payment('gw-a', 103, 7.25, { status: 'pending' });
  await payment('gw-a', 104, 30, { status: 'partially-refunded', transactionId: 'pi_GwAdminPart104', refunded: 10 });
  await payment('gw-b', 201, 99, { status: 'paid', transactionId: 'pi_GwAdminOther201' });
  for (let i = 0; i < 52; i++) await payment('gw-many', 1000 + i, 1, { status: 'pending' }, null);
  await t.suite.kernel.db.transaction((trx) => new PaymentTokens('stripe', t.suite.kernel.keyring).save(trx, { brandId: ids['gw-a'], subjectId: PAYER_SUBJECT, token: CARD }));
  const events = new WebhookEvents('stripe');
  await events.applyOnce(t.suite.kernel, ids['gw-a'], { id: 'evt_GwAdminApplied1', type: 'checkout.session.completed' }, { inside: async () => true });
  for (let i = 0; i < 2; i++) {
    await expect(events.applyOnce(t.suite.kernel, ids['gw-a'], { id: 'evt_GwAdminFailing1', type: 'charge.refunded' }, { inside: async () => { throw new Error('the platform is down'); } })).rejects.toThrow();
  }
  await createPanelUser(t.suite.kernel, 'owner@gw.example', 'owner');
  await createPanelUser(t.suite.kernel, 'auditor@gw.example', 'auditor');
  await createPanelUser(t.suite.kernel, 'reseller@gw.example', 'reseller', 'gw-b');
  keys.owner = await adminKey(t.suite, 'owner');
  keys.auditor = await adminKey(t.suite, 'auditor');
  keys.resellerB = await adminKey(t.suite, 'reseller', 'gw-b');
  process.env[SECRET_VAR] = SECRET_VALUE;
  delete process.env[WEBHOOK_VAR];
});
afterAll(async () => {
  delete process.env[SECRET_VAR];
  await t?.close();
});
beforeEach(() => { refunds.length = 0; });

describe('gateway admin pages: access', () => {
  it('the pages need a log-in: a GET is sent to the log-in page, a POST is 401 and refunds nothing', async () => {
    for (const p of ['overview', 'transactions', 'webhook-failures']) {
      const res = await new PanelClient(t.baseUrl).get(page('gw-a', p));
      expect([p, res.status, res.location]).toEqual([p, 303, '/admin']);
    }
    const post = await new PanelClient(t.baseUrl).post(page('gw-a', 'transactions/refund'), { invoiceId: '101' });
    expect(post.status).toBe(401);
    expect(refunds).toEqual([]);
  });

  it('a reseller sees its own brand\'s pages; another brand\'s pages are 403 and audited', async () => {
    const b = await login('reseller@gw.example');
    for (const p of ['overview', 'transactions', 'webhook-failures']) {
      expect([p, (await b.get(page('gw-b', p))).status]).toEqual([p, 200]);
      const other = await b.get(page('gw-a', p));
      expect([p, other.status]).toEqual([p, 403]);
      expect(other.html).not.toContain('pi_GwAdminPaid101');
    }
    const own = await b.get(page('gw-b', 'transactions'));
    expect(own.html).toContain('data-invoice="201"');
    expect(own.html).not.toContain('data-invoice="101"');
    expect(await t.suite.kernel.db('audit_log').where({ action: 'admin.brand.forbidden', brand_id: ids['gw-a'] }).first()).toBeTruthy();
    // The brand's navigation links the three sections.
    expect(own.html).toContain(`href="${page('gw-b', 'webhook-failures')}"`);
    expect(own.html).toContain('Stripe transactions');
  });
});

describe('gateway overview (SP-8)', () => {
  it('SP-8: shows live mode in a warning tone, the settings, each key variable by name with set or not, never a value', async () => {
    const b = await login('owner@gw.example');
    const res = await b.get(page('gw-a', 'overview'));
    expect(res.status).toBe(200);
    expect(res.html).toContain('class="state-off" data-mode="live"');
    expect(res.html).toContain('Live mode: payments are real money.');
    expect(row(res.html, 'key', 'secretKeyVar')).toContain(`data-variable="${SECRET_VAR}" data-set="true"`);
    expect(row(res.html, 'key', 'webhookSecretVar')).toContain(`data-variable="${WEBHOOK_VAR}" data-set="false"`);
    expect(row(res.html, 'key', 'webhookSecretVar')).toContain('not set');
    expect(row(res.html, 'setting', 'currency')).toContain('EUR');
    // The gateway's own settings too (not keys: a profile holds none).
    expect(row(res.html, 'setting', 'saveCards')).toContain('<code>saveCards</code></th><td>No</td>');
    expect(res.html).toContain(`href="/admin/brands/gw-a/profile"`);
    // Neither the key nor any part of it longer than its mode prefix.
    expect(res.html).not.toContain(SECRET_VALUE);
    expect(res.html).not.toContain(SECRET_VALUE.slice(8, 20));
    const test = await b.get(page('gw-b', 'overview'));
    expect(test.html).toContain('data-mode="test"');
    expect(test.html).not.toContain('data-mode="live"');
  });

  it('shows the webhook URL to register and the counts of applied and failing events', async () => {
    const b = await login('owner@gw.example');
    expect((await b.get(page('gw-a', ''))).location).toBe(page('gw-a', 'overview'));
    const res = await b.get(page('gw-a', 'overview'));
    expect(res.html).toContain('<code data-webhook-url>https://pay.gw-a.example/b/gw-a/gateways/stripe/webhook</code>');
    expect(res.html).toMatch(/data-count="applied">Webhook events applied: 1</);
    expect(res.html).toMatch(/data-count="failed"><a href="[^"]+webhook-failures">Webhook events failing: 1</);
    expect(res.html).toMatch(/Payments recorded: 4/);
  });

  it('a brand whose stored section is not valid is shown as not configured, naming the field, with the link to the profile', async () => {
    const res = await (await login('owner@gw.example')).get(page('gw-bare', 'overview'));
    expect(res.status).toBe(200);
    expect(res.html).toContain('data-configured="false"');
    expect(res.html).toContain('<code>profile.modules.gateways/stripe.mode</code>');
    expect(res.html).toContain('href="/admin/brands/gw-bare/profile"');
  });
});

describe('gateway transactions (TOS-1.2)', () => {
  it('TOS-1.2: lists amounts, statuses and the processor\'s ids, and never the card, the customer id or the payer', async () => {
    const res = await (await login('owner@gw.example')).get(page('gw-a', 'transactions'));
    expect(res.status).toBe(200);
    expect(res.html).toContain('No card data is kept or shown here');
    const paid = row(res.html, 'payment', '\\d+" data-invoice="101');
    expect(paid).toContain('data-status="paid"');
    expect(paid).toContain('12.50');
    expect(paid).toContain('EUR');
    expect(paid).toContain('pi_GwAdminPaid101');
    expect(paid).toContain('cs_test_gw-a_101');
    expect(paid).toContain('Live mode');
    expect(row(res.html, 'payment', '\\d+" data-invoice="102')).toContain('<code>card_declined</code>');
    expect(row(res.html, 'payment', '\\d+" data-invoice="104')).toMatch(/30\.00[\s\S]*10\.00[\s\S]*Partly refunded/);
    // A refund form on paid and partly refunded payments only.
    expect(paid).toContain('name="amount"');
    expect(row(res.html, 'payment', '\\d+" data-invoice="104')).toContain('name="amount"');
    expect(row(res.html, 'payment', '\\d+" data-invoice="102')).not.toContain('<form');
    noCardData(res.html);
  });

  it('filters by status and pages through the list, 50 a page', async () => {
    const b = await login('owner@gw.example');
    const declined = await b.get(`${page('gw-a', 'transactions')}?status=declined`);
    expect([...declined.html.matchAll(/data-invoice="(\d+)"/g)].map((m) => m[1])).toEqual(['102']);
    expect((await b.get(`${page('gw-a', 'transactions')}?status=cancelled`)).status).toBe(400);
    const first = await b.get(page('gw-many', 'transactions'));
    expect([...first.html.matchAll(/<tr data-payment=/g)].length).toBe(50);
    expect(first.html).toContain('Payments 1–50 of 52');
    expect(first.html).toContain(`href="${page('gw-many', 'transactions')}?page&#x3D;2" rel="next"`); // handlebars escapes =
    const second = await b.get(`${page('gw-many', 'transactions')}?page=2`);
    expect([...second.html.matchAll(/data-invoice="(\d+)"/g)].map((m) => m[1])).toEqual(['1001', '1000']);
    expect(second.html).not.toContain('rel="next"');
  });

  it('lists the webhook failures: event id, type, attempts and the error', async () => {
    const res = await (await login('owner@gw.example')).get(page('gw-a', 'webhook-failures'));
    expect(res.status).toBe(200);
    const failure = row(res.html, 'event', 'evt_GwAdminFailing1');
    expect(failure).toContain('data-attempts="2"');
    expect(failure).toContain('<code>charge.refunded</code>');
    expect(failure).toContain('Error: the platform is down');
    expect(res.html).not.toContain('evt_GwAdminApplied1');
    expect((await (await login('owner@gw.example')).get(page('gw-b', 'webhook-failures'))).html).toContain('No failing webhook events.');
  });
});

describe('refund form', () => {
  it('needs the CSRF token (403) and a write role (auditor 403); neither reaches the service', async () => {
    const owner = await login('owner@gw.example');
    const noToken = await owner.post(page('gw-a', 'transactions/refund'), { invoiceId: '101' });
    expect(noToken.status).toBe(403);
    const auditor = await login('auditor@gw.example');
    const view = await auditor.get(page('gw-a', 'transactions'));
    expect(view.html).not.toContain('transactions/refund');
    expect(view.html).toContain('Your role may only read');
    expect((await auditor.submit(page('gw-a', 'transactions'), page('gw-a', 'transactions/refund'), { invoiceId: '101' })).status).toBe(403);
    expect(refunds).toEqual([]);
  });

  it('calls the gateway\'s service with the brand, the invoice and the amount, and answers with a flash message', async () => {
    const b = await login('owner@gw.example');
    const res = await b.submit(page('gw-a', 'transactions'), `${page('gw-a', 'transactions/refund')}?status=paid`, { invoiceId: '101', amount: '2,50' }); // a decimal comma, as typed in de/fr/es/ru
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${page('gw-a', 'transactions')}?status=paid&flash=partlyRefunded&item=101`);
    expect(refunds).toEqual([{ brand: 'gw-a', invoiceId: 101, amount: 2.5 }]);
    expect((await b.get(res.location!)).html).toContain('Part of the payment of invoice 101 was refunded.');
    const all = await b.submit(page('gw-a', 'transactions'), page('gw-a', 'transactions/refund'), { invoiceId: '104', amount: '' });
    expect(all.location).toBe(`${page('gw-a', 'transactions')}?flash=refunded&item=104`);
    expect(refunds[1]).toEqual({ brand: 'gw-a', invoiceId: 104 });
    const audit = (await t.suite.kernel.audit.list({ action: 'gateways.refund', limit: 5 })).map((a: Json) => a.target_id);
    expect(audit).toEqual(expect.arrayContaining(['101', '104']));
  });

  it('bad input is a 400 naming the field next to the amount, and calls nothing', async () => {
    const b = await login('owner@gw.example');
    for (const [fields, field] of [[{ invoiceId: '101', amount: '-3' }, 'amount'], [{ invoiceId: '101', amount: '1.234' }, 'amount'], [{ invoiceId: '101', amount: 'all' }, 'amount'], [{ invoiceId: '101', amount: '1,000' }, 'amount'], [{ invoiceId: 'x', amount: '1' }, 'invoiceId'], [{ amount: '1' }, 'invoiceId']] as const) {
      const res = await b.submit(page('gw-a', 'transactions'), page('gw-a', 'transactions/refund'), fields);
      expect([fields, res.status, res.html.includes(`<code>${field}</code>`)]).toEqual([fields, 400, true]);
    }
    const shown = await b.submit(page('gw-a', 'transactions'), page('gw-a', 'transactions/refund'), { invoiceId: '101', amount: '1.234' });
    expect(row(shown.html, 'payment', '\\d+" data-invoice="101')).toMatch(/aria-invalid="true"[\s\S]*class="field-error"/);
    expect(refunds).toEqual([]);
  });

  it('a refusal of the gateway (SUITE_STRIPE_NOT_REFUNDABLE) or a declined refund is shown next to the amount', async () => {
    const b = await login('owner@gw.example');
    answer = async (invoiceId) => { throw gatewayError('stripe', 'NOT_REFUNDABLE', { invoice: invoiceId }); };
    try {
      const refused = await b.submit(page('gw-a', 'transactions'), page('gw-a', 'transactions/refund'), { invoiceId: '101', amount: '500' });
      expect(refused.status).toBe(409);
      expect(row(refused.html, 'payment', '\\d+" data-invoice="101')).toContain('Invoice 101 has no Stripe payment that can be refunded by this amount');
      expect(refused.html).toContain('value="500"');
      answer = async (invoiceId) => ({ status: 'declined', transid: `re_${invoiceId}`, rawdata: {} });
      const declined = await b.submit(page('gw-a', 'transactions'), page('gw-a', 'transactions/refund'), { invoiceId: '101' });
      expect(declined.status).toBe(409);
      expect(row(declined.html, 'payment', '\\d+" data-invoice="101')).toContain('Stripe declined the refund.');
    } finally {
      answer = async (invoiceId) => ({ status: 'success', transid: `re_${invoiceId}`, rawdata: {} });
    }
    expect(refunds.length).toBe(2);
  });
});

describe('gateway admin API', () => {
  it('TOS-1.2: GET transactions lists the brand\'s payments without card data; status, limit and offset; bad input 400 naming the field', async () => {
    const all = await api(keys.owner, 'gw-a', 'GET', '/transactions');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(4);
    const paid = all.body.transactions.find((p: Json) => p.invoiceId === 101);
    // Exactly these fields (refunded and status depend on the refunds made above).
    expect(Object.keys(paid).sort()).toEqual(['amount', 'createdAt', 'currency', 'failureCode', 'id', 'invoiceId', 'mode', 'reference', 'refunded', 'status', 'transactionId', 'updatedAt']);
    expect(paid).toMatchObject({ invoiceId: 101, amount: 12.5, currency: 'EUR', mode: 'live', reference: 'cs_test_gw-a_101', transactionId: 'pi_GwAdminPaid101', failureCode: null, createdAt: expect.stringMatching(/^\d{4}-/) });
    noCardData(all.text);
    const paged = await api(keys.owner, 'gw-many', 'GET', '/transactions?limit=5&offset=50');
    expect([paged.body.total, paged.body.transactions.map((p: Json) => p.invoiceId)]).toEqual([52, [1001, 1000]]);
    expect((await api(keys.owner, 'gw-a', 'GET', '/transactions?status=declined')).body.transactions.map((p: Json) => p.invoiceId)).toEqual([102]);
    for (const [q, field] of [['status=cancelled', 'status'], ['limit=0', 'limit'], ['limit=501', 'limit'], ['offset=-1', 'offset'], ['card=1', '(root)']]) {
      const bad = await api(keys.owner, 'gw-a', 'GET', `/transactions?${q}`);
      expect([q, bad.status, bad.body.fields?.[0]?.field]).toEqual([q, 400, field]);
    }
  });

  it('is scoped to the key\'s brand: another brand is 403, its own answers only its own', async () => {
    for (const p of ['/transactions', '/webhook-failures', '/settings']) expect([p, (await api(keys.resellerB, 'gw-a', 'GET', p)).status]).toEqual([p, 403]);
    expect((await api(keys.resellerB, 'gw-a', 'POST', '/refunds', { invoiceId: 101 })).status).toBe(403);
    const own = await api(keys.resellerB, 'gw-b', 'GET', '/transactions');
    expect(own.body.transactions.map((p: Json) => p.invoiceId)).toEqual([201]);
    expect(refunds).toEqual([]);
  });

  it('SP-8: GET settings names the key variables with set or not, the mode and the webhook URL, never a value', async () => {
    const res = await api(keys.owner, 'gw-a', 'GET', '/settings');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ gateway: 'stripe', mode: 'live', enabled: true, currency: 'EUR', recipient: 'stripe', webhookUrl: 'https://pay.gw-a.example/b/gw-a/gateways/stripe/webhook', events: { applied: 1, failed: 1 } });
    expect(res.body.other).toMatchObject({ saveCards: false });
    expect(res.body.keys).toEqual(expect.arrayContaining([{ setting: 'secretKeyVar', variable: SECRET_VAR, set: true }, { setting: 'webhookSecretVar', variable: WEBHOOK_VAR, set: false }]));
    expect(res.text).not.toContain(SECRET_VALUE.slice(8, 20));
    const bare = await api(keys.owner, 'gw-bare', 'GET', '/settings');
    expect([bare.status, bare.body.code]).toEqual([409, 'SUITE_PROFILE_STORED_INVALID']);
  });

  it('GET webhook-failures lists the failing events', async () => {
    const res = await api(keys.auditor, 'gw-a', 'GET', '/webhook-failures');
    expect(res.body.failures).toEqual([{ eventId: 'evt_GwAdminFailing1', type: 'charge.refunded', attempts: 2, error: 'Error: the platform is down', receivedAt: expect.any(String), updatedAt: expect.any(String) }]);
  });

  it('POST refunds validates its body (400 naming the field), needs a write role, and calls the service', async () => {
    for (const [body, field] of [[{}, 'invoiceId'], [{ invoiceId: '101' }, 'invoiceId'], [{ invoiceId: 101, amount: 0 }, 'amount'], [{ invoiceId: 101, amount: 1.001 }, 'amount'], [{ invoiceId: 101, last4: '4242' }, '(root)']] as const) {
      const bad = await api(keys.owner, 'gw-a', 'POST', '/refunds', body);
      expect([body, bad.status, bad.body.fields?.[0]?.field]).toEqual([body, 400, field]);
    }
    expect((await api(keys.auditor, 'gw-a', 'POST', '/refunds', { invoiceId: 101 })).status).toBe(403);
    expect(refunds).toEqual([]);
    const ok = await api(keys.owner, 'gw-a', 'POST', '/refunds', { invoiceId: 101, amount: 1.25 });
    expect([ok.status, ok.body]).toEqual([200, { ok: true, refund: { invoiceId: 101, amount: 1.25, status: 'success', transactionId: 're_101', fees: null } }]);
    expect(refunds).toEqual([{ brand: 'gw-a', invoiceId: 101, amount: 1.25 }]);
    answer = async () => { throw new SuiteError('SUITE_STRIPE_PROCESSOR_FAILED', { gateway: 'stripe', code: 'rate_limit' }); };
    try {
      const failed = await api(keys.owner, 'gw-a', 'POST', '/refunds', { invoiceId: 101 });
      expect([failed.status, failed.body.code]).toEqual([502, 'SUITE_STRIPE_PROCESSOR_FAILED']);
      expect(failed.body.error).toContain('code rate_limit');
    } finally {
      answer = async (invoiceId) => ({ status: 'success', transid: `re_${invoiceId}`, rawdata: {} });
    }
  });
});

describe('the test profile', () => {
  // The section these tests write must hold under the module's schema.
  it('the test profile section is valid under the installed module\'s schema', async () => {
    const def = t.suite.kernel.modules.list().find((m) => m.name === G)!;
    expect(moduleSettings(def.settings!, await t.suite.kernel.brands.profile(await t.suite.kernel.brands.get('gw-a')), G)).toMatchObject({ mode: 'live', secretKeyVar: SECRET_VAR });
  });
});
