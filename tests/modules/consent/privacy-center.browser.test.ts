/**
 * The privacy center in a real headless Chromium: a customer opens it from the panel's signed link, withdraws and gives
 * marketing consent, asks for a copy of their data and downloads the zip, and asks for their account's deletion, all
 * by clicking; the log-in by emailed code is filled in like a person would; the Arabic center lays out right to left,
 * and axe-core finds no serious or critical violation on any center page, in English or Arabic.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { RightsService } from '../../../modules/rights/public';
import { axeViolations, launchChromium, newPage, screenshot } from '../../helpers/admin-browser';
import { SmtpSink } from '../../helpers/smtp-sink';
import { drainOutbox, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { unzip } from '../../helpers/unzip';
import { rightsBrand, signUp } from '../rights/fixtures';
import { ssoPath } from '../rights/privacy-center-fixtures';
import { consentService } from './marketing-fixtures';

const sink = new SmtpSink();
let t: TestSuite;
let secret: string;
let browser: Browser;
const customers: Record<number, { clientId: number; subjectId: number }> = {};

beforeAll(async () => {
  browser = await launchChromium();
  await sink.start();
  t = await startTestSuite({ config: { smtpUrl: sink.url, mailFrom: 'privacy@test-hosting.example', outboxBaseDelayMs: 5, outboxMaxAttempts: 2 } });
  secret = await rightsBrand(t.suite, 'pcb-shop', { branding: { name: 'Browser Shop', primaryColor: '#1f4f8f' }, consent: { model: 'opt-out', channels: ['email', 'sms'] } });
  for (const n of [1, 2, 3]) customers[n] = await signUp(t.suite, 'pcb-shop', n);
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await sink.stop();
});

const link = (n: number) => `${t.baseUrl}${ssoPath('pcb-shop', secret, customers[n].clientId)}`;
const requestsOf = (n: number) => t.suite.kernel.db('rights_requests').where({ subject_id: customers[n].subjectId }).orderBy('id');

/** Clicks and waits for the page the click leads to. */
async function clickTo(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

describe('privacy center in Chromium', () => {
  it('a customer opens the center from a signed link, withdraws and gives marketing email, downloads their data and asks for deletion, by clicking', async () => {
    const { page, problems } = await newPage(browser);
    const svc = consentService(t.suite);
    const sid = customers[1].subjectId;
    await page.goto(link(1));
    expect(new URL(page.url()).pathname).toBe('/b/pcb-shop/privacy');
    expect(await page.textContent('h1')).toBe('My privacy');
    expect(await svc.canSendMarketing('pcb-shop', sid, 'email')).toBe(true);
    await clickTo(page, 'form[data-channel="email"] button');
    expect(await page.textContent('[role="status"]')).toBe('Your choice has been saved.');
    expect(await svc.canSendMarketing('pcb-shop', sid, 'email')).toBe(false);
    expect(await page.textContent('form[data-channel="email"] button')).toBe('Receive offers by Email');
    await clickTo(page, 'form[data-channel="email"] button');
    expect(await page.textContent('form[data-channel="email"] button')).toBe('Stop offers by Email');
    expect(await svc.canSendMarketing('pcb-shop', sid, 'email')).toBe(true);

    // Download my data: ask, let the controller's export run, download the zip from the page.
    await clickTo(page, '#pc-requests-link');
    expect(await page.textContent('h1')).toBe('My requests');
    await clickTo(page, '#pr-access-form button');
    expect(await page.textContent('[role="status"]')).toContain('We have received your request for a copy of your data.');
    const [access] = await requestsOf(1);
    expect(access).toMatchObject({ type: 'access', status: 'verified', verification_method: 'panel-session' });
    await t.suite.kernel.service<RightsService>('rights').fulfil(await t.suite.kernel.brands.get('pcb-shop'), Number(access.id), { type: 'cli', id: 'test' });
    await page.reload();
    expect(await page.textContent(`tr[data-request="${access.id}"] td:nth-child(2)`)).toBe('done');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a.download')]);
    const files = unzip(fs.readFileSync((await download.path())!));
    expect(files.has('data.json')).toBe(true);
    await screenshot(page, 'privacy-center');

    // Delete my account: the confirmation page, the tick, the request.
    await clickTo(page, '#pr-erase-link');
    expect(await page.textContent('h1')).toBe('Delete my account');
    await page.check('#pr-erase-confirm');
    await clickTo(page, '#pr-erase-form button');
    expect(await page.textContent('[role="status"]')).toBe('We have received your request to delete your account.');
    expect((await requestsOf(1)).map((r: { type: string; status: string }) => [r.type, r.status])).toEqual([['access', 'fulfilled'], ['erase', 'verified']]);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('a customer without the panel signs in with the code emailed to them', async () => {
    const { page, problems } = await newPage(browser);
    await page.goto(`${t.baseUrl}/b/pcb-shop/privacy`);
    expect(new URL(page.url()).pathname).toBe('/b/pcb-shop/privacy/login');
    await page.fill('#pc-email', 'ada.2@example.org');
    await clickTo(page, 'main form button');
    expect(new URL(page.url()).pathname).toBe('/b/pcb-shop/privacy/login/code');
    await drainOutbox(t.suite);
    const code = /(\d{4} \d{4})/.exec(sink.to('ada.2@example.org').at(-1)!.text)![1];
    await page.fill('#pc-code', code);
    await clickTo(page, 'main form button');
    expect(new URL(page.url()).pathname).toBe('/b/pcb-shop/privacy');
    expect(await page.textContent('h1')).toBe('My privacy');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('the Arabic center lays out right to left', async () => {
    const { page } = await newPage(browser, { locale: 'ar' });
    await page.goto(`${link(3)}&lang=ar`);
    await page.goto(`${t.baseUrl}/b/pcb-shop/privacy?lang=ar`);
    expect(await page.evaluate('[document.documentElement.lang, document.documentElement.dir, getComputedStyle(document.body).direction]')).toEqual(['ar', 'rtl', 'rtl']);
    expect(await page.textContent('h1')).toBe('خصوصيتي');
    await page.context().close();
  });

  it('axe-core: no serious or critical violation on any center page, in English and Arabic', async () => {
    for (const lang of ['en', 'ar']) {
      const { page } = await newPage(browser);
      const found: Record<string, string[]> = {};
      const check = async (name: string) => {
        found[name] = await axeViolations(page);
      };
      // Signed out: the log-in, the code step (after asking), a refused link.
      await page.goto(`${t.baseUrl}/b/pcb-shop/privacy/login?lang=${lang}`);
      await check('login');
      await page.fill('#pc-email', 'nobody@example.org');
      await clickTo(page, 'main form button');
      await page.goto(`${t.baseUrl}/b/pcb-shop/privacy/login/code?lang=${lang}`);
      await check('code');
      await page.goto(`${t.baseUrl}/b/pcb-shop/privacy/sso?client=1&exp=1&sig=${'0'.repeat(64)}&lang=${lang}`);
      await check('refused-link');
      // Signed in: the center, my requests, the deletion's confirmation, an error page.
      await page.goto(link(3));
      await page.goto(`${t.baseUrl}/b/pcb-shop/privacy?lang=${lang}`);
      await check('center');
      await page.goto(`${t.baseUrl}/b/pcb-shop/privacy/requests?lang=${lang}`);
      await check('requests');
      await page.goto(`${t.baseUrl}/b/pcb-shop/privacy/requests/erase?lang=${lang}`);
      await check('erase');
      await page.goto(`${t.baseUrl}/b/pcb-shop/privacy/requests?lang=${lang}`);
      await page.fill('#pr-field-country', 'XX');
      await clickTo(page, '#pr-rectify-form button');
      expect(await page.textContent('[role="alert"]')).toContain('changes.country');
      await check('error');
      expect(found).toEqual({ login: [], code: [], 'refused-link': [], center: [], requests: [], erase: [], error: [] });
      await page.context().close();
    }
  });
});
