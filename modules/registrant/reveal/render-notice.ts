/** Renders the reveal notice to a customer (templates/email/registrant-reveal-notice.hbs) through the kernel's renderer. */
import { renderEmailTemplate, type RenderedEmail } from '../../../core/templates/email-template';

/** A rendered message. */
export type RenderedNotice = RenderedEmail;

/** Renders subject, text and HTML of the notice in `locale` (`view` values are data, never markup). */
export function renderRevealNotice(locale: string, view: { brand: string; domain: string; date: string; id: string }): RenderedNotice {
  return renderEmailTemplate('registrant-reveal-notice', locale, view);
}
