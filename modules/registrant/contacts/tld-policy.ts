/** Which contacts a TLD's registry takes, from the brand's settings (default: registrant and tech). */
import type { ContactRole } from '../../registrars/contract';
import type { RegistrantSettings } from '../settings';

/** The TLD of a domain or a WHMCS `tld` param, with its leading dot and lower-cased. */
export function normaliseTld(tld: string): string {
  const t = tld.trim().toLowerCase();
  return t.startsWith('.') ? t : `.${t}`;
}

/** The roles to send for `tld`; the longest configured suffix wins (".co.uk" before ".uk"). */
export function rolesFor(settings: RegistrantSettings, tld: string): ContactRole[] {
  const t = normaliseTld(tld);
  const match = Object.keys(settings.tlds).map(normaliseTld).filter((k) => t === k || t.endsWith(k)).sort((a, b) => b.length - a.length)[0];
  const policy = match ? Object.entries(settings.tlds).find(([k]) => normaliseTld(k) === match)![1] : settings.default;
  return [...new Set(policy.contacts)];
}
