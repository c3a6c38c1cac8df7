/** The SMTP transport from SUITE_SMTP_URL (nodemailer), created once; unset: a clear error, warned about once per process. */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from '../../core/logger';
import { NoMailTransportError } from './smtp-error';

let warned = false;

/**
 * Timeouts stay well inside the outbox claim lease (60 s), so a hanging server fails the attempt instead of letting a
 * second worker reclaim the message while it is still being sent. Query parameters of the URL (e.g. `?pool=true`) win.
 */
const DEFAULTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 };

/** Builds the transport for a URL, or throws NoMailTransportError (logged once, without the URL) when there is none. */
export function createMailTransport(url: string | undefined, log: Logger): Transporter {
  if (!url) {
    if (!warned) {
      warned = true;
      log.warn({ setting: 'SUITE_SMTP_URL' }, 'no mail transport configured: email notices wait in the outbox until SUITE_SMTP_URL is set');
    }
    throw new NoMailTransportError();
  }
  return nodemailer.createTransport({ ...DEFAULTS, url });
}
