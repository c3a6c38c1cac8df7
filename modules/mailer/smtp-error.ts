/** Errors of the mail path, worded without addresses or credentials (they end up in the outbox's last_error). */

/** Thrown when no SMTP transport is configured; the outbox retries and then dead-letters the message. */
export class NoMailTransportError extends Error {
  constructor() {
    super('no mail transport: set SUITE_SMTP_URL');
    this.name = 'NoMailTransportError';
  }
}

/** Thrown for a failed SMTP send; keeps only the error code, the SMTP reply code and the command, never the server's text. */
export class SmtpSendError extends Error {
  constructor(readonly code: string, readonly responseCode?: number, readonly command?: string) {
    super(`smtp send failed: ${[code, responseCode, command].filter((p) => p !== undefined && p !== '').join(' ')}`);
    this.name = 'SmtpSendError';
  }

  /** Wraps a nodemailer error (whose message may quote a recipient address). */
  static from(err: unknown): SmtpSendError {
    const e = (err ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown };
    const code = typeof e.code === 'string' && /^[A-Z_]{1,32}$/.test(e.code) ? e.code : 'ESEND';
    const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
    const command = typeof e.command === 'string' ? e.command.split(/\s/)[0].replace(/[^A-Za-z ]/g, '').slice(0, 16) : undefined;
    return new SmtpSendError(code, responseCode, command);
  }
}
