/** The WHOIS answer (RFC 3912) in the ICANN registration data format, formatted from the same view as RDAP. */
import type { ContactView, RegistrationView, Shown } from '../registration-view';

export const REDACTED = 'REDACTED FOR PRIVACY';

/** EPP status values for the suite's domain states. */
const STATUS: Record<string, string> = {
  registered: 'ok', renewed: 'ok', suspended: 'clientHold', registering: 'pendingCreate', transferring: 'pendingTransfer',
};

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const text = (s: Shown<string>): string => (s.redacted ? REDACTED : s.value);

function contactLines(c: ContactView): string[] {
  const P = c.role === 'registrant' ? 'Registrant' : 'Tech';
  const lines = [`Registry ${P} ID: ${text(c.handle)}`, `${P} Name: ${text(c.name)}`];
  if (c.org) lines.push(`${P} Organization: ${text(c.org)}`);
  if (c.address) {
    const a = c.address;
    if (a.street.redacted) lines.push(`${P} Street: ${REDACTED}`);
    else for (const s of a.street.value) lines.push(`${P} Street: ${s}`);
    lines.push(`${P} City: ${text(a.city)}`, `${P} State/Province: ${a.sp}`, `${P} Postal Code: ${text(a.pc)}`, `${P} Country: ${a.cc}`);
  }
  for (const [label, value] of [['Phone', c.voice], ['Fax', c.fax]] as const) {
    if (!value) continue;
    lines.push(`${P} ${label}: ${text(value)}`, `${P} ${label} Ext: ${value.redacted ? REDACTED : ''}`);
  }
  const e = c.email;
  lines.push(`${P} Email: ${e.kind === 'form' ? e.uri : e.email}`);
  return lines;
}

/** The answer for a known domain. */
export function whoisAnswer(view: RegistrationView, now = Date.now()): string {
  const lines = [`Domain Name: ${view.domain.toUpperCase()}`, `Registry Domain ID: ${REDACTED}`];
  if (view.renewedAt) lines.push(`Updated Date: ${iso(view.renewedAt)}`);
  if (view.registeredAt) lines.push(`Creation Date: ${iso(view.registeredAt)}`);
  const status = STATUS[view.status] ?? 'ok';
  lines.push(`Domain Status: ${status} https://icann.org/epp#${status}`);
  for (const c of view.contacts) lines.push(...contactLines(c));
  lines.push(
    'URL of the ICANN Whois Inaccuracy Complaint Form: https://icann.org/wicf/',
    `>>> Last update of WHOIS database: ${iso(now)} <<<`,
    '',
    'Registration data is published under ICANN\'s Registration Data Policy. Personal data of registrants is redacted unless the registrant consented to publish it.',
    'Use of this service for unsolicited advertising or to collect personal data is not permitted.',
  );
  return `${lines.join('\r\n')}\r\n`;
}

/** The answer for a name not held here. */
export function noMatch(name: string): string {
  return `No match for "${name.toUpperCase()}".\r\n`;
}
