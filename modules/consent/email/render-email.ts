/** Renders the consent emails (templates/email/consent-<name>.hbs) through the kernel's email template renderer. */
import { renderEmailTemplate, type RenderedEmail } from '../../../core/templates/email-template';

/** The consent email templates. */
export type ConsentEmailName = 'policy-notice' | 'double-opt-in' | 'withdrawal-notice';
export type { RenderedEmail };

/** Renders subject, text and HTML of a consent email in `locale` (`view` values are data, never markup). */
export function renderConsentEmail(name: ConsentEmailName, locale: string, view: Record<string, string | number | undefined>): RenderedEmail {
  return renderEmailTemplate(`consent-${name}`, locale, view);
}
