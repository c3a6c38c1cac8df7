/** Domain and host names as queried: the LDH form (A-labels) every look-up uses, and the U-label form answers add. */
import { domainToASCII, domainToUnicode } from 'node:url';

/** The LDH form of a queried name (lower case, A-labels, no trailing dot), or undefined when it is not a domain name. */
export function ldhName(raw: string): string | undefined {
  const name = domainToASCII(raw.trim().replace(/\.$/, '')).toLowerCase();
  if (!name || name.length > 253) return undefined;
  const labels = name.split('.');
  if (labels.length < 2) return undefined;
  return labels.every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l)) ? name : undefined;
}

/** The U-label form of an LDH name with A-labels, or undefined when it has none. */
export function unicodeName(ldh: string): string | undefined {
  if (!ldh.split('.').some((l) => l.startsWith('xn--'))) return undefined;
  const u = domainToUnicode(ldh);
  return u && u !== ldh ? u : undefined;
}
