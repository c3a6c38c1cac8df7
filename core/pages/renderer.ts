/**
 * The one page renderer: templates/<page>.hbs inside templates/layouts/<layout>.hbs, with templates/partials/*.hbs,
 * the suite helpers (t, formatDate, formatNumber, csrfField), the page's lang and dir, the brand's look and a CSP
 * nonce. Every value is escaped by handlebars ({{ }}); the layout's {{{body}}} is the rendered page, never user data.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { Request, Response } from 'express';
import { applyPageSecurityHeaders } from '../http/security-headers';
import type { Branding } from '../profile/schema';
import { registerSuiteHelpers } from './helpers';
import { pageDir } from './locale';

const TEMPLATES = path.resolve(__dirname, '..', '..', 'templates');
const NAME = /^[a-z0-9-]+(\/[a-z0-9-]+)*$/;

const hb = Handlebars.create();
registerSuiteHelpers(hb);
const compiled = new Map<string, Handlebars.TemplateDelegate>();
let partialsLoaded = false;

function loadPartials(): void {
  if (partialsLoaded) return;
  const dir = path.join(TEMPLATES, 'partials');
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (f.endsWith('.hbs')) hb.registerPartial(f.slice(0, -4), fs.readFileSync(path.join(dir, f), 'utf8'));
  }
  partialsLoaded = true;
}

function template(name: string): Handlebars.TemplateDelegate {
  let tpl = compiled.get(name);
  if (!tpl) {
    if (!NAME.test(name)) throw new Error(`page template "${name}" must be a kebab-case path under templates/`);
    loadPartials();
    tpl = hb.compile(fs.readFileSync(path.join(TEMPLATES, `${name}.hbs`), 'utf8'), { strict: false });
    compiled.set(name, tpl);
  }
  return tpl;
}

/** What a page shows: its template, language, brand look and the template's own values (`title` is the <title>). */
export interface PageOptions {
  /** The template under templates/, without .hbs: 'client/consent-confirm', 'admin/login'. */
  page: string;
  /** The reader's locale (see `pageLocale`); sets <html lang> and dir (rtl for ar) and the `t` helper's language. */
  locale: string;
  /** The template's values; `title` names the page. Plain data: handlebars escapes every value. */
  view: { title: string } & Record<string, unknown>;
  /** The brand's look (profile `branding`, name defaulting to the brand's name); none: a plain page. */
  branding?: Branding;
  /** The layout under templates/layouts/ (default 'page'); `false` renders the page alone. */
  layout?: string | false;
  /** The token for `{{csrfField}}` (from `csrfToken(kernel, req, res)`), needed by pages with a form that changes state. */
  csrfToken?: string;
  /** The CSP nonce for inline <style>/<script nonce="{{nonce}}">; `sendPage` makes a fresh one. */
  nonce?: string;
}

/** Renders a page to HTML (the layout around it unless `layout: false`). */
export function renderPage(opts: PageOptions): string {
  const root = {
    ...opts.view, locale: opts.locale, dir: pageDir(opts.locale), branding: opts.branding ?? {},
    csrfToken: opts.csrfToken, nonce: opts.nonce ?? '',
  };
  const body = template(opts.page)(root);
  if (opts.layout === false) return body;
  return template(`layouts/${opts.layout ?? 'page'}`)({ ...root, body });
}

/**
 * Sends a rendered page: HTML, no caching, the page security headers (CSP with a fresh nonce: only this origin,
 * inline style/script only with the nonce, images also from the brand logo's origin; no framing; forms to self).
 */
export function sendPage(req: Request, res: Response, status: number, opts: Omit<PageOptions, 'nonce'>): void {
  const nonce = crypto.randomBytes(16).toString('hex');
  const logoOrigin = opts.branding?.logoUrl ? new URL(opts.branding.logoUrl).origin : undefined;
  applyPageSecurityHeaders(req, res, nonce, logoOrigin);
  res.status(status).set('Content-Type', 'text/html; charset=utf-8').set('Cache-Control', 'no-store').send(renderPage({ ...opts, nonce }));
}
