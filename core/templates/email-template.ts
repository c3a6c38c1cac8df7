/**
 * Renders a transactional email from templates/email/<name>.hbs: one file defines the `subject`, `text` and `html`
 * inline partials; `{{t "key" name=value}}` reads lang/<locale>.json. The HTML part is escaped by handlebars, the
 * subject and text parts are plain; view values are data, never markup.
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { pageDir } from '../pages/locale';
import { registerSuiteHelpers } from '../pages/helpers';

const TEMPLATE_DIR = path.resolve(__dirname, '..', '..', 'templates', 'email');

/** A rendered message. */
export interface RenderedEmail { subject: string; text: string; html: string }

const hb = Handlebars.create();
registerSuiteHelpers(hb);

const compiled = new Map<string, { escaped: Handlebars.TemplateDelegate; plain: Handlebars.TemplateDelegate }>();

function templates(name: string): { escaped: Handlebars.TemplateDelegate; plain: Handlebars.TemplateDelegate } {
  let c = compiled.get(name);
  if (!c) {
    if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`email template name "${name}" must be kebab-case`);
    const source = `${fs.readFileSync(path.join(TEMPLATE_DIR, `${name}.hbs`), 'utf8')}{{> (lookup . "_part")}}`;
    c = { escaped: hb.compile(source, { strict: false }), plain: hb.compile(source, { strict: false, noEscape: true }) };
    compiled.set(name, c);
  }
  return c;
}

/** Renders subject, text and HTML of templates/email/<name>.hbs in `locale`. */
export function renderEmailTemplate(name: string, locale: string, view: Record<string, string | number | undefined>): RenderedEmail {
  const { escaped, plain } = templates(name);
  const data = { ...view, locale, dir: pageDir(locale) };
  return {
    subject: plain({ ...data, _part: 'subject' }).replace(/\s+/g, ' ').trim(),
    text: `${plain({ ...data, _part: 'text' }).trim()}\n`,
    html: `${escaped({ ...data, _part: 'html' }).trim()}\n`,
  };
}
