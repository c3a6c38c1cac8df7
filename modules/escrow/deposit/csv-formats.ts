/**
 * The deposit's rows, per format. csv-2024: one file, a row per domain with the underlying registrant (never the
 * privacy proxy) and the billing contact's name. full-handle-2007: a domain file with the published role handles and,
 * for privacy-protected domains, the handles of the underlying customer contacts; and a handle file holding every
 * handle once. Cells are RFC 4180 quoted and written exactly (no spreadsheet defusing: this is a machine format).
 */
import type { EscrowDomain } from '../../registrant/public';

type Role = EscrowDomain['roles'][number];
type Contact = NonNullable<EscrowDomain['real'][Role]>;

const ROLES: Role[] = ['registrant', 'admin', 'tech', 'billing'];

/** One CSV line (CRLF), quoted where needed. */
export function csvRecord(cells: (string | number | null | undefined)[]): string {
  return `${cells.map((c) => {
    const s = c === null || c === undefined ? '' : String(c);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }).join(',')}\r\n`;
}

/**
 * The expiry date (ISO 8601, UTC): the registration's `regperiod` years after registering, moved on by each renewal
 * (the registrant module's `expires_at`); empty for a domain recorded before expiries were kept, never guessed.
 */
function expiration(d: EscrowDomain): string {
  return d.expiresAt === null ? '' : new Date(d.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const CSV_2024_HEADER = ['domain', 'expiration_date', 'registrar_iana_id', 'registrant_name', 'registrant_organization', 'registrant_street', 'registrant_city',
  'registrant_state', 'registrant_postal_code', 'registrant_country', 'registrant_phone', 'registrant_email', 'billing_contact_name', 'privacy_service', 'status'];

/** A csv-2024 row: the real registrant's data (the privacy service is only flagged), the billing contact's name. */
export function csv2024Row(d: EscrowDomain, ianaId: number): string {
  const r = d.real.registrant;
  const billing = d.real.billing ?? d.real.admin ?? r;
  return csvRecord([d.domain, expiration(d), ianaId, r?.name, r?.org, r?.street.join(', '), r?.city, r?.sp, r?.pc, r?.cc, r?.voice, r?.email, billing?.name, d.privacy ? 'y' : 'n', d.status]);
}

export const DOMAIN_2007_HEADER = ['domain', 'expiration_date', 'status', 'registrant_handle', 'admin_handle', 'tech_handle', 'billing_handle', 'privacy_service',
  'underlying_registrant_handle', 'underlying_admin_handle', 'underlying_tech_handle', 'underlying_billing_handle'];

export const HANDLE_2007_HEADER = ['handle', 'name', 'organization', 'street', 'city', 'state', 'postal_code', 'country', 'phone', 'fax', 'email'];

/** A 2007 domain row: published handles, then (privacy on) the handles of the customer behind the proxy. */
export function domain2007Row(d: EscrowDomain): string {
  const pub = ROLES.map((role) => d.published[role]?.id ?? '');
  const under = ROLES.map((role) => (d.privacy ? d.real[role]?.id ?? '' : ''));
  return csvRecord([d.domain, expiration(d), d.status, ...pub, d.privacy ? 'y' : 'n', ...under]);
}

/** The 2007 handle rows of a domain: every published contact and, behind a privacy service, every underlying one. */
export function handle2007Rows(d: EscrowDomain): string[] {
  const seen = new Map<string, Contact>();
  for (const role of ROLES) {
    const p = d.published[role];
    if (p) seen.set(p.id, p);
    const r = d.real[role];
    if (d.privacy && r) seen.set(r.id, r);
  }
  return [...seen.values()].map((c) => csvRecord([c.id, c.name, c.org, c.street.join(', '), c.city, c.sp, c.pc, c.cc, c.voice, c.fax, c.email]));
}

/** The column names a format's files carry (the disclosure log's `fields`). */
export function depositFields(format: 'csv-2024' | 'full-handle-2007'): string[] {
  return format === 'csv-2024' ? CSV_2024_HEADER : [...DOMAIN_2007_HEADER, ...HANDLE_2007_HEADER.map((h) => `handle.${h}`)];
}
