/**
 * Renders the reveal notice from templates/email/registrant-reveal-notice.hbs (inline partials "subject", "text",
 * "html"; strings from lang through the `t` helper), as modules/consent/email does: HTML escaped, subject and text plain.
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { t } from '../../../core/i18n';

const TEMPLATE = path.resolve(__dirname, '..', '..', '..', 'templates', 'email', 'registrant-reveal-notice.hbs');

/** A rendered message. */
export interface RenderedNotice { subject: string; text: string; html: string }

const hb = Handlebars.create();
hb.registerHelper('t', function (this: unknown, key: unknown, options: Handlebars.HelperOptions) {
  const root = options.data?.root as { locale?: string } | undefined;
  const params = Object.fromEntries(Object.entries(options.hash as Record<string, unknown>).map(([k, v]) => [k, String(v ?? '')]));
  return t(root?.locale ?? 'en', String(key), params);
});

let compiled: { escaped: Handlebars.TemplateDelegate; plain: Handlebars.TemplateDelegate } | undefined;

/** Renders subject, text and HTML of the notice in `locale` (`view` values are data, never markup). */
export function renderRevealNotice(locale: string, view: { brand: string; domain: string; date: string; id: string }): RenderedNotice {
  if (!compiled) {
    const source = `${fs.readFileSync(TEMPLATE, 'utf8')}{{> (lookup . "_part")}}`;
    compiled = { escaped: hb.compile(source, { strict: false }), plain: hb.compile(source, { strict: false, noEscape: true }) };
  }
  const data = { ...view, locale, dir: locale === 'ar' ? 'rtl' : 'ltr' };
  return {
    subject: compiled.plain({ ...data, _part: 'subject' }).replace(/\s+/g, ' ').trim(),
    text: `${compiled.plain({ ...data, _part: 'text' }).trim()}\n`,
    html: `${compiled.escaped({ ...data, _part: 'html' }).trim()}\n`,
  };
}
