/**
 * Consent emails over real SMTP: the policy-change notice (WSM-24 / SP-4), the double opt-in confirmation (WSM-19) and
 * the withdrawal notice (SP-6.1) reach the customer's address in their language with working links; SMTP down: retried,
 * dead-lettered, and delivered exactly once after the admin's retry; no personal data in the logs.
 */
import { Writable } from 'node:stream';
import { createLogger } from '../../../core/logger';
import { publishDocument } from '../../../modules/consent/documents/publish-document';
import { recordConsent } from '../../../modules/consent/ledger/consent-ledger';
import { messageIdFor } from '../../../modules/mailer/message-id';
import { SmtpSink } from '../../helpers/smtp-sink';
import { startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { clientAdd, consentBrand, consentService, ledgerOf, publishTerms, subjectOf, type TestBrand } from './marketing-fixtures';

const sink = new SmtpSink();
const lines: string[] = [];
let t: TestSuite;
let shop: TestBrand;
let ownerKey: string;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const linkIn = (text: string, prefix: string): string => {
  const m = new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\S+`).exec(text);
  if (!m) throw new Error(`no link starting ${prefix} in the message`);
  return m[0];
};
/** The href values of an HTML part, with the HTML entities handlebars wrote decoded. */
const hrefs = (html: string): string[] => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]
  .replace(/&#x([0-9A-Fa-f]+);/g, (_e, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
type Row = { id: number; state: string; attempts: number; last_error: string | null };
const outboxRow = async (id: number): Promise<Row> => {
  const r = (await t.suite.kernel.db('outbox').where({ id }).first()) as Row;
  return { ...r, id: Number(r.id), attempts: Number(r.attempts) };
};

beforeAll(async () => {
  await sink.start();
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  t = await startTestSuite({ logger: createLogger('debug', stream), config: { smtpUrl: sink.url, mailFrom: 'privacy@mail-shop.example', outboxBaseDelayMs: 5, outboxMaxAttempts: 3 } });
  shop = await consentBrand(t.suite, 'mail-shop', { model: 'opt-in', channels: ['email'], doubleOptIn: true }, { languages: ['en', 'de', 'fr'], modules: { consent: { publicUrl: t.baseUrl } } });
  ownerKey = (await t.suite.apiKeys.create({ role: 'owner', label: 'test' }, { type: 'cli', id: 'test' })).key;
});
afterAll(async () => {
  await t?.close();
  await sink.stop();
});

describe('consent emails', () => {
  it('WSM-24 / SP-4: a material policy version\'s notice arrives at the customer\'s address in their language, with a working reject link', async () => {
    const k = t.suite.kernel;
    const brand = await k.brands.get(shop.slug);
    const profile = await k.brands.profile(brand);
    const v1 = await publishTerms(t.suite, shop.id, 'de', '1.0');
    await clientAdd(t.baseUrl, shop, 1, { email: 'hanna@example.org', firstname: 'Hanna', language: 'german' });
    const sid = await subjectOf(t.suite, shop, 1);
    await k.db.transaction((trx) => recordConsent(k, trx, profile, {
      brandId: shop.id, subjectId: sid, purpose: 'terms', action: 'given', method: 'checkbox', channel: 'web', collectionPoint: 'registration', documentId: v1,
    }));
    const pub = await publishDocument(k, brand, { kind: 'terms', language: 'de', version: '2.0', text: 'Neue AGB.', material: true }, { type: 'cli', id: 'test' });
    expect(pub.notices).toBe(1);

    await t.suite.worker.drain();
    const mails = sink.to('hanna@example.org');
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail.subject).toContain('Änderung unserer Allgemeinen Geschäftsbedingungen: Version 2.0');
    expect(mail.headers['content-language']).toBe('de');
    expect(mail.headers['auto-submitted']).toBe('auto-generated');
    expect(mail.headers['x-suite-idempotency-key']).toBe(`policy-notice:${pub.document.id}:${sid}`);
    expect(mail.headers['message-id']).toBe(messageIdFor(`policy-notice:${pub.document.id}:${sid}`, 'privacy@mail-shop.example'));
    expect(mail.headers['list-unsubscribe']).toBeUndefined();
    expect(mail.text).toContain('Wenn Sie nicht einverstanden sind');
    const rejectUrl = linkIn(mail.text, `${t.baseUrl}/b/${shop.slug}/consent/documents/${pub.document.id}/reject?token=`);
    expect(mail.html).toContain(`<html lang="de" dir="ltr">`);
    expect(hrefs(mail.html)).toEqual([rejectUrl]);
    expect(mail.html).toContain('Diese Änderung ablehnen');

    // A click is a GET: it shows the question and changes nothing; the page's form POSTs the rejection.
    const page = await fetch(rejectUrl, { headers: { 'accept-language': 'de' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Version 2.0 ablehnen');
    expect(html).toContain('<form method="post" action="reject">');
    expect((await ledgerOf(t.suite, sid)).at(-1)).not.toMatchObject({ action: 'rejected' });
    const token = /name="token" value="([^"]+)"/.exec(html)![1].replace(/&#x3D;/g, '=');
    const res = await fetch(new URL('reject', rejectUrl), { method: 'POST', headers: { 'accept-language': 'de', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Sie haben Version 2.0 abgelehnt');
    expect((await ledgerOf(t.suite, sid)).at(-1)).toMatchObject({ purpose: 'terms', action: 'rejected', collection_point: 'policy-change', document_version: '2.0' });
    expect(await outboxRow(Number((await k.db('outbox').where({ topic: 'consent.policy-notice', subject_id: sid }).first('id')).id))).toMatchObject({ state: 'delivered', attempts: 1 });
  });

  it('WSM-19: the double opt-in confirmation arrives in the customer\'s language and its link confirms the subscription', async () => {
    await clientAdd(t.baseUrl, shop, 2, { email: 'francois@example.org', firstname: 'François', language: 'french', marketing_emails_opt_in: 1 });
    const sid = await subjectOf(t.suite, shop, 2);
    expect(await consentService(t.suite).marketingDecision(shop.slug, sid, 'email')).toEqual({ allowed: false, reason: 'pending-confirmation' });

    await t.suite.worker.drain();
    const [mail, ...more] = sink.to('francois@example.org');
    expect(more).toHaveLength(0);
    expect(mail.subject).toBe('Veuillez confirmer votre abonnement à mail-shop');
    expect(mail.text).toContain('e-mails promotionnels');
    expect(mail.html).toContain('Confirmer mon abonnement');
    const confirmUrl = linkIn(mail.text, `${t.baseUrl}/b/${shop.slug}/consent/confirm?token=`);
    expect(hrefs(mail.html)).toEqual([confirmUrl]);

    const page = await fetch(confirmUrl);
    expect(page.status).toBe(200);
    const token = new URL(confirmUrl).searchParams.get('token')!;
    const post = await fetch(`${t.baseUrl}/b/${shop.slug}/consent/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }) });
    expect(post.status).toBe(200);
    expect((await ledgerOf(t.suite, sid)).at(-1)).toMatchObject({ purpose: 'marketing:email', action: 'given', method: 'double-opt-in' });
  });

  it('SP-6.1: the withdrawal notice arrives with the record\'s reference and a working link to the signed receipt', async () => {
    await clientAdd(t.baseUrl, shop, 3, { email: 'wes@example.org', firstname: 'Wes' });
    const sid = await subjectOf(t.suite, shop, 3);
    const r = await consentService(t.suite).withdraw(shop.slug, sid, 'processing', { method: 'admin-written', collectionPoint: 'admin' }, { via: 'written' });
    await t.suite.worker.drain();
    const [mail, ...more] = sink.to('wes@example.org');
    expect(more).toHaveLength(0);
    expect(mail.subject).toBe('We received the withdrawal of your consent (mail-shop)');
    expect(mail.text).toContain(r.receiptId!);
    expect(mail.html).toContain('<html lang="en" dir="ltr">');
    const receiptUrl = linkIn(mail.text, `${t.baseUrl}/b/${shop.slug}/consent/receipts/`);
    const receipt = await fetch(receiptUrl);
    expect(receipt.status).toBe(200);
    expect(await receipt.json()).toMatchObject({ receiptId: r.receiptId, purpose: 'processing', consentStatus: 'withdrawn' });
  });

  it('a notice for an erased subject is marked delivered without a send and logs nothing personal', async () => {
    await clientAdd(t.baseUrl, shop, 4, { email: 'gone@example.org', firstname: 'Gone' });
    const sid = await subjectOf(t.suite, shop, 4);
    await consentService(t.suite).withdraw(shop.slug, sid, 'processing', { method: 'admin-written', collectionPoint: 'admin' }, { via: 'written' });
    await t.suite.kernel.db.transaction((trx) => t.suite.kernel.subjects.erase(trx, sid));
    const before = sink.received.length;
    const report = await t.suite.worker.drain();
    expect(report).toMatchObject({ delivered: 1, retried: 0, dead: 0 });
    expect(sink.received.length).toBe(before);
    expect(sink.to('gone@example.org')).toHaveLength(0);
  });

  it('SMTP down: the notice is retried, then dead-lettered; after the admin retry with SMTP up it is delivered exactly once', async () => {
    await clientAdd(t.baseUrl, shop, 5, { email: 'down@example.org', firstname: 'Dana' });
    const sid = await subjectOf(t.suite, shop, 5);
    await sink.stop();
    try {
      await consentService(t.suite).withdraw(shop.slug, sid, 'processing', { method: 'admin-written', collectionPoint: 'admin' }, { via: 'written' });
      const id = Number((await t.suite.kernel.db('outbox').where({ topic: 'consent.withdrawal-notice', subject_id: sid }).first('id')).id);
      const seen: Row[] = [];
      for (let i = 0; i < 200 && (seen.at(-1)?.state ?? '') !== 'dead'; i++) {
        await t.suite.worker.drain();
        seen.push(await outboxRow(id));
        await pause(10);
      }
      const dead = seen.at(-1)!;
      expect(seen.some((r) => r.state === 'pending' && r.attempts >= 1)).toBe(true);
      expect(dead).toMatchObject({ state: 'dead', attempts: 3 });
      expect(dead.last_error).toMatch(/^smtp send failed: /);
      expect(dead.last_error).not.toContain('down@');

      await sink.start();
      const retry = await fetch(`${t.baseUrl}/api/v1/admin/outbox/${id}/retry`, { method: 'POST', headers: { authorization: `Bearer ${ownerKey}` } });
      expect(retry.status).toBe(200);
      await t.suite.worker.drain();
      await t.suite.worker.drain();
      expect(await outboxRow(id)).toMatchObject({ state: 'delivered', attempts: 1 });
      expect(sink.to('down@example.org')).toHaveLength(1);
    } finally {
      if (!sink.running) await sink.start();
    }
  });

  it('no personal data (addresses, names, links with tokens) appears in the logs of all of the above', () => {
    const out = lines.join('');
    expect(out).toContain('outbox delivery failed');
    for (const s of ['@example.org', 'Hanna', 'François', 'Wes', 'Gone', 'Dana', 'token=']) expect(out).not.toContain(s);
  });
});
