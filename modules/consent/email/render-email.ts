/**
 * Renders a consent email from templates/email/consent-<name>.hbs: one file with inline partials "subject", "text" and
 * "html"; strings come from lang through the `t` helper. The HTML part is escaped by handlebars; subject and text are
 * plain text (not HTML), rendered without HTML escaping.
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { t } from '../../../core/i18n';

const TEMPLATE_DIR = path.resolve(__dirname, '..', '..', '..', 'templates', 'email');

/** The consent email templates. */
export type ConsentEmailName = 'policy-notice' | 'double-opt-in' | 'withdrawal-notice';

/** A rendered message. */
export interface RenderedEmail { subject: string; text: string; html: string }

const hb = Handlebars.create();
hb.registerHelper('t', function (this: unknown, key: unknown, options: Handlebars.HelperOptions) {
  const root = options.data?.root as { locale?: string } | undefined;
  const params = Object.fromEntries(Object.entries(options.hash as Record<string, unknown>).map(([k, v]) => [k, String(v ?? '')]));
  return t(root?.locale ?? 'en', String(key), params);
});

const compiled = new Map<string, { escaped: Handlebars.TemplateDelegate; plain: Handlebars.TemplateDelegate }>();

function templates(name: ConsentEmailName): { escaped: Handlebars.TemplateDelegate; plain: Handlebars.TemplateDelegate } {
  let c = compiled.get(name);
  if (!c) {
    const source = `${fs.readFileSync(path.join(TEMPLATE_DIR, `consent-${name}.hbs`), 'utf8')}{{> (lookup . "_part")}}`;
    c = { escaped: hb.compile(source, { strict: false }), plain: hb.compile(source, { strict: false, noEscape: true }) };
    compiled.set(name, c);
  }
  return c;
}

/** Renders subject, text and HTML of a consent email in `locale` (`view` values are data, never markup). */
export function renderConsentEmail(name: ConsentEmailName, locale: string, view: Record<string, string | number | undefined>): RenderedEmail {
  const { escaped, plain } = templates(name);
  const data = { ...view, locale, dir: locale === 'ar' ? 'rtl' : 'ltr' };
  return {
    subject: plain({ ...data, _part: 'subject' }).replace(/\s+/g, ' ').trim(),
    text: `${plain({ ...data, _part: 'text' }).trim()}\n`,
    html: `${escaped({ ...data, _part: 'html' }).trim()}\n`,
  };
}
