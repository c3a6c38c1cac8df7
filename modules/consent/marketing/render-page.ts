/** Renders the small consent pages (unsubscribe, confirm, withdraw) from templates/client with strings from lang. */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { Request, Response } from 'express';
import { resolveLocale } from '../../../core/i18n';

const TEMPLATE_DIR = path.resolve(__dirname, '..', '..', '..', 'templates', 'client');
const compiled = new Map<string, Handlebars.TemplateDelegate>();

/** The page's locale: `?lang=`, else Accept-Language, else the brand's default. */
export function pageLocale(req: Request, fallback: string): string {
  const q = typeof req.query.lang === 'string' ? req.query.lang : undefined;
  return resolveLocale(q ?? req.headers['accept-language'] ?? fallback);
}

/** Sends a consent page rendered from `templates/client/<name>.hbs` (every value escaped by handlebars). */
export function sendPage(res: Response, status: number, name: 'consent-unsubscribe' | 'consent-confirm', locale: string, view: Record<string, unknown>): void {
  let tpl = compiled.get(name);
  if (!tpl) {
    tpl = Handlebars.compile(fs.readFileSync(path.join(TEMPLATE_DIR, `${name}.hbs`), 'utf8'), { strict: false });
    compiled.set(name, tpl);
  }
  res.status(status)
    .set('Content-Type', 'text/html; charset=utf-8')
    .set('Cache-Control', 'no-store')
    .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
    .send(tpl({ locale, dir: locale === 'ar' ? 'rtl' : 'ltr', ...view }));
}
