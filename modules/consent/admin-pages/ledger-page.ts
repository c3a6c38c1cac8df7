/**
 * The consent ledger page, `…/consent/ledger`: find a subject by the panel's client id (GET) or by e-mail address
 * through the blind index (POST, so the address stays out of URLs and logs), then its current consent per purpose and
 * its ledger events, paged by row id. ESM-3: the view is audited with the categories shown and withheld; names need
 * `contact`, IP address and user agent need `usage`. "Verify the chain" (POST, any role, CSRF) walks the whole
 * consent_ledger table — one chain across every brand — as `privacy-suite ledger verify --chain consent_ledger` does.
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { ChainVerdict } from '../../../core/chain/hash-chain';
import { SuiteError, fieldIssue, validationError } from '../../../core/errors';
import { actorOf } from '../../../core/http/admin-auth';
import { adminForm, formErrors, sendAdminPage, viewPersonalData } from '../../../core/http/admin-kit';
import { asyncRoute } from '../../../core/http/respond';
import { idParam, limitParam } from '../../../core/http/route-input';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { pageLocale, requireCsrf } from '../../../core/pages';
import { categoriesFor } from '../../../core/subjects/access';
import type { Subject } from '../../../core/subjects/subject-service';
import { requireAdminUser } from '../../../core/http/admin-session';
import { consentChain } from '../ledger/consent-ledger';
import { subjectEvents, subjectNames, subjectState } from './subject-ledger';

/** Events per page unless `?limit=` says otherwise (at most MAX_LIMIT). */
const PAGE_SIZE = 25;
const MAX_LIMIT = 100;

const ClientId = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/);
const Email = z.string().trim().max(254).email();

/** Where the module's pages live for a brand. */
export function consentBase(slug: string): string {
  return `/admin/brands/${encodeURIComponent(slug)}/consent`;
}

/** What the page shows besides the search forms (`searchEmail`: the layout's `email` is the user's own). */
type LedgerView = Record<string, unknown>;

/** Whether the user's role may look subjects up by e-mail address: it is contact data, so only with `contact`. */
async function mayUseEmail(kernel: Kernel, req: Request): Promise<boolean> {
  return categoriesFor(await kernel.brands.profile(req.brand!), requireAdminUser(req).role).includes('contact');
}

async function render(kernel: Kernel, req: Request, res: Response, status: number, view: LedgerView): Promise<void> {
  const locale = pageLocale(req, 'en');
  const brand = req.brand!;
  await sendAdminPage(kernel, req, res, status, {
    page: 'admin/consent/ledger', title: t(locale, 'consent.admin.ledger.title'), brand,
    view: { base: consentBase(brand.slug), emailSearch: await mayUseEmail(kernel, req), ...view },
  });
}

/** The subject a lookup names in this brand: by client id (none: undefined) or by internal id (another brand's: 404). */
async function findSubject(kernel: Kernel, brandId: number, q: { client?: string; subject?: number }): Promise<Subject | undefined> {
  if (q.client !== undefined) return kernel.subjects.findByExternal(brandId, 'client', q.client);
  const subject = await kernel.subjects.get(q.subject!).catch((err: unknown) => {
    if (err instanceof SuiteError && err.code === 'SUITE_SUBJECT_UNKNOWN') return undefined;
    throw err;
  });
  if (!subject || subject.brandId !== brandId) throw new SuiteError('SUITE_NOT_FOUND', { what: 'subject', id: q.subject! });
  return subject;
}

/** Reads `?client=` or `?subject=`, `?before=` and `?limit=`; a bad value is a validation error naming the field. */
function lookupOf(query: Request['query']): { client?: string; subject?: number; before?: number; limit: number } {
  const client = query.client === undefined ? undefined : ClientId.safeParse(query.client);
  if (client && !client.success) throw validationError([fieldIssue('client', 'consent.admin.ledger.clientInvalid')]);
  return {
    client: client?.data,
    subject: query.subject === undefined || client ? undefined : idParam(query.subject, 'subject'),
    before: query.before === undefined ? undefined : idParam(query.before, 'before'),
    limit: limitParam(query.limit, PAGE_SIZE, MAX_LIMIT),
  };
}

/** The subject's section: who (with `contact`), its state, one page of events (IP and user agent with `usage`). */
async function subjectView(kernel: Kernel, req: Request, subject: Subject, page: { before?: number; limit: number }): Promise<LedgerView> {
  const brand = req.brand!;
  const locale = pageLocale(req, 'en');
  const personal = await viewPersonalData(kernel, req, { brand, categories: ['contact', 'usage'], targetType: 'subject', targetId: subject.id, page: 'consent.ledger' });
  const usage = personal.may('usage');
  const names = personal.may('contact') ? await subjectNames(kernel, subject) : [];
  const state = await subjectState(kernel, brand, subject);
  const { events, older } = await subjectEvents(kernel, brand, subject, { ...page, usage });
  const base = consentBase(brand.slug);
  const receiptHref = (id: string) => `${base}/ledger/receipts/${encodeURIComponent(id)}`;
  const action = (a: string) => t(locale, `consent.admin.ledger.actions.${a}`);
  return {
    subject: { id: subject.id, kind: t(locale, `consent.admin.ledger.kinds.${subject.kind}`), externalId: subject.externalId, status: t(locale, `consent.admin.ledger.statuses.${subject.status}`) },
    names: names.map((n) => ({ label: t(locale, `consent.admin.ledger.fields.${n.name}`), value: n.value })),
    contactWithheld: !personal.may('contact'), usage, usageWithheld: !usage,
    purposes: state.purposes.map((p) => ({ ...p, actionLabel: action(p.action), granted: p.action === 'given', receiptHref: receiptHref(p.receiptId) })),
    marketing: state.marketing.map((m) => ({ ...m, reasonLabel: t(locale, `consent.admin.ledger.reasons.${m.reason}`) })),
    events: events.map((e) => ({ ...e, actionLabel: action(e.action), receiptHref: receiptHref(e.receiptId) })),
    olderHref: older === null ? null : `${base}/ledger?${new URLSearchParams({ subject: String(subject.id), before: String(older), limit: String(page.limit) }).toString()}`,
    newestHref: page.before === undefined ? null : `${base}/ledger?subject=${subject.id}`,
  };
}

/** A verdict in the reader's language: ok with the rows checked, or the first broken row (id, seq) and why. */
function verdictView(v: ChainVerdict, locale: string): LedgerView {
  if (v.ok) return { ok: true, checked: v.checked };
  const b = v.brokenAt!;
  const reason = b.reason.startsWith('content was changed') ? 'changed'
    : b.reason.startsWith('prev_hash') ? 'link'
      : b.reason.startsWith('rows after') ? 'removed' : 'missing';
  return { ok: false, checked: v.checked, seq: b.seq, id: b.id, known: b.id > 0, reason: t(locale, `consent.admin.ledger.verify.reasons.${reason}`, { seq: b.seq }) };
}

/** Mounts GET /ledger, POST /ledger/search and POST /ledger/verify. */
export function ledgerPage(router: Router, kernel: Kernel): void {
  router.get('/ledger', asyncRoute(async (req, res) => {
    const locale = pageLocale(req, 'en');
    let q: ReturnType<typeof lookupOf>;
    try {
      q = lookupOf(req.query);
    } catch (err) {
      const errors = formErrors(err, locale);
      if (!errors.length) throw err;
      await render(kernel, req, res, 400, { errors, client: typeof req.query.client === 'string' ? req.query.client.slice(0, 64) : '' });
      return;
    }
    if (q.client === undefined && q.subject === undefined) {
      await render(kernel, req, res, 200, {});
      return;
    }
    const subject = await findSubject(kernel, req.brand!.id, q);
    if (!subject) {
      await render(kernel, req, res, 200, { client: q.client, noMatch: true });
      return;
    }
    await render(kernel, req, res, 200, { client: subject.kind === 'client' ? subject.externalId : '', ...(await subjectView(kernel, req, subject, q)) });
  }));

  // By e-mail (roles granted contact data): the kernel's blind index finds it, no plaintext scan; one match opens it, several are listed.
  router.post('/ledger/search', adminForm({ limit: '4kb', fields: 5 }), requireCsrf(kernel), asyncRoute(async (req, res) => {
    const locale = pageLocale(req, 'en');
    if (!(await mayUseEmail(kernel, req))) {
      await render(kernel, req, res, 403, { refused: t(locale, 'consent.admin.ledger.emailForbidden') });
      return;
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const email = Email.safeParse(body.email);
    if (!email.success) {
      await render(kernel, req, res, 400, { errors: formErrors(validationError([fieldIssue('email', 'consent.admin.ledger.emailInvalid')]), locale), searchEmail: typeof body.email === 'string' ? body.email.slice(0, 254) : '' });
      return;
    }
    const found = await kernel.subjects.findByEmail([req.brand!.id], email.data);
    if (found.length === 1) {
      res.redirect(303, `${consentBase(req.brand!.slug)}/ledger?subject=${found[0].id}`);
      return;
    }
    const base = consentBase(req.brand!.slug);
    await render(kernel, req, res, 200, {
      searchEmail: email.data, noMatch: found.length === 0,
      matches: found.map((s) => ({
        kind: t(locale, `consent.admin.ledger.kinds.${s.kind}`), externalId: s.externalId, status: t(locale, `consent.admin.ledger.statuses.${s.status}`), href: `${base}/ledger?subject=${s.id}`,
      })),
    });
  }));

  // Changes nothing, so every role may run it; still a POST with CSRF (it costs a walk over the whole table).
  router.post('/ledger/verify', adminForm({ limit: '1kb', fields: 2 }), requireCsrf(kernel), asyncRoute(async (req, res) => {
    const brand = req.brand!;
    const verdict = await consentChain.verify(kernel.db);
    await kernel.audit.record({
      brandId: brand.id, actor: actorOf(req), action: 'consent.chain.verify', targetType: 'chain', targetId: consentChain.table, ip: req.ip,
      details: { ok: verdict.ok, checked: verdict.checked, ...(verdict.brokenAt ? { brokenAt: verdict.brokenAt } : {}) },
    });
    await render(kernel, req, res, 200, { verdict: verdictView(verdict, pageLocale(req, 'en')) });
  }));
}
