/** HTTP routes for policy documents: admins publish and list versions; customers read the version in force and reject a material change. */
import express, { type Router } from 'express';
import { assertCanWrite } from '../../../core/apikeys/api-keys';
import { actorOf } from '../../../core/http/admin-auth';
import { rateLimit } from '../../../core/http/rate-limit';
import { asyncRoute } from '../../../core/http/respond';
import { jsonBody } from '../../../core/http/body';
import { idParam } from '../../../core/http/route-input';
import { SuiteError, validationError, fieldIssue } from '../../../core/errors';
import { resolveLocale, t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { verifySignedLink, linkTokenOf } from '../../../core/links/signed-link';
import { receiptLinkToken } from '../receipts/signed-receipt';
import { documentInForce, type DocumentKind as Kind } from './current-document';
import { getDocument, rejectDocument } from './document-for-subject';
import { DocumentKind } from './document-kind';
import { listDocuments, publishDocument, REJECT_LINK_PURPOSE } from './publish-document';
import { pageBasics, pageLocale, sendPage } from '../../../core/pages';

const form = express.urlencoded({ extended: false, limit: '4kb' });

function kindParam(value: string): Kind {
  const k = DocumentKind.safeParse(value);
  if (!k.success) throw validationError([fieldIssue('kind', 'validation.consent.documentKind')]);
  return k.data;
}

const tokenOf = linkTokenOf;

/** Admin: POST /documents publishes a version (audited), GET /documents lists them (?kind=&lang=). */
export function documentAdminRoutes(router: Router, kernel: Kernel): void {
  router.post('/documents', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const { document, notices } = await publishDocument(kernel, req.brand!, req.body, actorOf(req), req.ip);
    res.status(201).json({ ok: true, document, notices });
  }));
  router.get('/documents', asyncRoute(async (req, res) => {
    const kind = typeof req.query.kind === 'string' ? kindParam(req.query.kind) : undefined;
    const language = typeof req.query.lang === 'string' ? req.query.lang : undefined;
    res.json({ ok: true, documents: await listDocuments(kernel.db, req.brand!.id, { kind, language }) });
  }));
}

/** Client: GET /documents/:kind (?lang=) is the version in force; POST /documents/:id/reject (signed link) rejects a material change. */
export function documentClientRoutes(router: Router, kernel: Kernel): void {
  router.get('/documents/:kind', asyncRoute(async (req, res) => {
    const kind = kindParam(req.params.kind);
    const brand = req.brand!;
    const profile = await kernel.brands.profile(brand);
    const language = typeof req.query.lang === 'string' && /^[a-z]{2}(-[A-Z]{2})?$/.test(req.query.lang) ? req.query.lang : profile.locale;
    const now = Date.now();
    const doc = await documentInForce(kernel.db, brand.id, kind, language, profile.locale, now);
    if (!doc) throw new SuiteError('SUITE_NOT_FOUND', { what: 'policy document', id: `${kind}/${language}` });
    const upcoming = (await kernel.db('consent_documents').where({ brand_id: brand.id, kind, language: doc.language }).andWhere('effective_at', '>', now)
      .orderBy('effective_at').first('id', 'version', 'material', 'effective_at')) as { id: number; version: string; material: number | boolean; effective_at: number } | undefined;
    const { text } = await getDocument(kernel.db, brand.id, doc.id);
    res.json({
      ok: true, document: { ...doc, text },
      upcoming: upcoming ? { id: Number(upcoming.id), version: upcoming.version, material: Boolean(upcoming.material), effectiveAt: Number(upcoming.effective_at) } : null,
    });
  }));

  // The emailed link opens a page (a click is a GET and must change nothing); its form POSTs the rejection.
  // The rejection page is open to the web: 60 a minute per IP, brand and page, counted across instances.
  const rejectLimit = rateLimit(kernel, { name: 'consent-reject-page', max: 60, windowMs: 60_000 });
  router.get('/documents/:id/reject', rejectLimit, asyncRoute(async (req, res) => {
    const brand = req.brand!;
    const { locale, branding } = await pageBasics(kernel, req, brand);
    const token = tokenOf(req);
    try {
      const claims = verifySignedLink(kernel, token, REJECT_LINK_PURPOSE);
      if (claims.brandId !== brand.id) throw new SuiteError('SUITE_LINK_INVALID');
      const doc = await getDocument(kernel.db, brand.id, idParam(req.params.id));
      sendPage(req, res, 200, { page: 'client/consent-confirm', locale, branding, view: {
        title: t(locale, 'consent.documents.rejectTitle'), message: t(locale, 'consent.documents.rejectQuestion', { version: doc.version }),
        button: t(locale, 'consent.documents.rejectButton'), action: 'reject', token, showForm: true,
      } });
    } catch (err) {
      if (!(err instanceof SuiteError) || err.code !== 'SUITE_LINK_INVALID') throw err;
      sendPage(req, res, 401, { page: 'client/consent-confirm', locale, branding, view: { title: t(locale, 'consent.documents.rejectTitle'), message: t(locale, 'errors.SUITE_LINK_INVALID'), showForm: false } });
    }
  }));

  router.post('/documents/:id/reject', rejectLimit, jsonBody({ limit: '8kb' }), form, asyncRoute(async (req, res) => {
    const claims = verifySignedLink(kernel, tokenOf(req), REJECT_LINK_PURPOSE);
    const brand = req.brand!;
    if (claims.brandId !== brand.id) throw new SuiteError('SUITE_LINK_INVALID');
    const id = idParam(req.params.id);
    const { receipt, repeated, staysOn } = await rejectDocument(kernel, brand, claims.subjectId, id, { ip: req.ip, userAgent: req.header('user-agent') ?? undefined });
    const locale = resolveLocale(req.header('accept-language'));
    const rejected = await getDocument(kernel.db, brand.id, id);
    const message = staysOn
      ? t(locale, 'consent.documents.rejected', { version: rejected.version, previous: staysOn.version })
      : t(locale, 'consent.documents.rejectedNoPrevious', { version: rejected.version });
    if (req.is('application/x-www-form-urlencoded')) {
      const { branding } = await pageBasics(kernel, req, brand);
      sendPage(req, res, 200, { page: 'client/consent-confirm', locale: pageLocale(req, locale), branding, view: { title: t(locale, 'consent.documents.rejectTitle'), message, showForm: false } });
      return;
    }
    res.status(repeated ? 200 : 201).json({
      ok: true, message, receiptId: receipt.receiptId, staysOn: staysOn ? { id: staysOn.id, version: staysOn.version } : null,
      receiptPath: `/b/${brand.slug}/consent/receipts/${receipt.receiptId}`, receiptToken: receiptLinkToken(kernel, brand.id, claims.subjectId),
    });
  }));
}
