/**
 * GET/POST /b/:brand/registrant/domains/:domain/publish?token=: the registrant gives or withdraws consent to publish
 * fields of their domain's registration data. GET shows the fields with checkboxes; POST records the choice (none
 * ticked withdraws). The signed token, made for this registrant and domain, is the form's CSRF protection.
 */
import express, { type Request, type Response, type Router } from 'express';
import { SuiteError } from '../../../core/errors';
import { rateLimit } from '../../../core/http/rate-limit';
import { asyncRoute } from '../../../core/http/respond';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { pageBasics, sendPage } from '../../../core/pages';
import type { Branding } from '../../../core/profile/schema';
import { PUBLISH_FIELDS } from '../contacts/disclose';
import type { RegistrantService } from '../registrant-service';
import { findDomain } from '../store/domain-store';
import { linkTokenOf } from '../../../core/links/signed-link';
import { verifyPublishLink } from './publish-link';

const form = express.urlencoded({ extended: false, limit: '4kb' });

const tokenOf = linkTokenOf;

function fieldsOf(req: Request): string[] {
  const f = (req.body as { fields?: unknown } | undefined)?.fields;
  return (Array.isArray(f) ? f : f === undefined ? [] : [f]).map(String);
}



/** The link's registrant must still hold the domain; else the link is invalid. */
async function claimsFor(kernel: Kernel, req: Request): Promise<{ subjectId: number; domain: string }> {
  const domain = String(req.params.domain).toLowerCase();
  const claims = verifyPublishLink(kernel, req.brand!, domain, tokenOf(req));
  const row = await findDomain(kernel.db, req.brand!.id, domain);
  if (!row || row.subjectId !== claims.subjectId) throw new SuiteError('SUITE_LINK_INVALID');
  return { subjectId: claims.subjectId, domain: row.domain };
}

function invalid(req: Request, res: Response, { locale, branding }: { locale: string; branding: Branding }, err: unknown): void {
  if (!(err instanceof SuiteError) || err.code !== 'SUITE_LINK_INVALID') throw err;
  sendPage(req, res, 401, { page: 'client/registrant-publish', locale, branding, view: { title: t(locale, 'registrant.publish.invalidTitle'), message: t(locale, 'errors.SUITE_LINK_INVALID'), showForm: false } });
}

/** Mounts the routes on the module's client router. */
export function publishClientRoutes(router: Router, kernel: Kernel): void {
  const service = () => kernel.service<RegistrantService>('registrant');

  // The page is open to the web: 60 a minute per IP, brand and page, counted across instances.
  const limit = rateLimit(kernel, { name: 'registrant-publish-page', max: 60, windowMs: 60_000 });
  router.get('/domains/:domain/publish', limit, asyncRoute(async (req, res) => {
    const p = await pageBasics(kernel, req, req.brand!);
    const { locale, branding } = p;
    try {
      const c = await claimsFor(kernel, req);
      const current = await service().publishableFields(req.brand!.id, c.domain);
      sendPage(req, res, 200, { page: 'client/registrant-publish', locale, branding, view: {
        title: t(locale, 'registrant.publish.title', { domain: c.domain }), message: t(locale, 'registrant.publish.intro', { domain: c.domain }),
        fields: PUBLISH_FIELDS.map((f) => ({ value: f, label: t(locale, `registrant.publish.field.${f}`), checked: current.includes(f) })),
        button: t(locale, 'registrant.publish.button'), token: tokenOf(req), showForm: true,
      } });
    } catch (err) {
      invalid(req, res, p, err);
    }
  }));

  router.post('/domains/:domain/publish', limit, form, asyncRoute(async (req, res) => {
    const p = await pageBasics(kernel, req, req.brand!);
    const { locale, branding } = p;
    try {
      const c = await claimsFor(kernel, req);
      const r = await service().consentToPublish(req.brand!, {
        subjectId: c.subjectId, domain: c.domain, fields: fieldsOf(req), method: 'link', channel: 'web', collectionPoint: 'privacy-center',
        ip: req.ip?.slice(0, 64), userAgent: req.get('user-agent')?.slice(0, 1000),
      });
      if (req.accepts(['html', 'json']) === 'json') {
        res.json({ ok: true, fields: r.fields, receiptId: r.receiptId });
        return;
      }
      const key = r.fields.length ? 'registrant.publish.saved' : 'registrant.publish.withdrawn';
      sendPage(req, res, 200, { page: 'client/registrant-publish', locale, branding, view: {
        title: t(locale, 'registrant.publish.doneTitle'),
        message: t(locale, key, { domain: c.domain, fields: r.fields.map((f) => t(locale, `registrant.publish.field.${f}`)).join(', ') }), showForm: false,
      } });
    } catch (err) {
      invalid(req, res, p, err);
    }
  }));
}
