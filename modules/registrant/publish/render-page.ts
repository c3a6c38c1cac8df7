/** Renders the registrant's consent-to-publish page from templates/client/registrant-publish.hbs (every value escaped). */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { Response } from 'express';

const TEMPLATE = path.resolve(__dirname, '..', '..', '..', 'templates', 'client', 'registrant-publish.hbs');
let compiled: Handlebars.TemplateDelegate | undefined;

/** One checkbox of the form. */
export interface FieldOption { value: string; label: string; checked: boolean }

/** Sends the page with the consent page headers (no caching, no framing, forms only to this origin). */
export function sendPublishPage(res: Response, status: number, locale: string, view: { title: string; message: string; fields?: FieldOption[]; button?: string; token?: string; showForm: boolean }): void {
  compiled ??= Handlebars.compile(fs.readFileSync(TEMPLATE, 'utf8'), { strict: false });
  res.status(status)
    .set('Content-Type', 'text/html; charset=utf-8')
    .set('Cache-Control', 'no-store')
    .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
    .send(compiled({ locale, dir: locale === 'ar' ? 'rtl' : 'ltr', ...view }));
}
