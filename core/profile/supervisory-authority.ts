/** The supervisory authority to name (access export, policy): the profile's, else the national one of the controller's country. */
import type { PrivacyProfile, SupervisoryAuthority } from './schema';

/**
 * National data protection authorities of countries with one authority for private controllers. Germany is left out
 * on purpose: there each federal state's authority supervises the businesses seated in it, so no single default fits.
 */
export const NATIONAL_AUTHORITIES: Readonly<Record<string, SupervisoryAuthority>> = {
  GB: { name: "Information Commissioner's Office (ICO)", url: 'https://ico.org.uk/make-a-complaint/', country: 'GB' },
  UK: { name: "Information Commissioner's Office (ICO)", url: 'https://ico.org.uk/make-a-complaint/', country: 'GB' },
  FR: { name: "Commission nationale de l'informatique et des libertés (CNIL)", url: 'https://www.cnil.fr/fr/plaintes', country: 'FR' },
  ES: { name: 'Agencia Española de Protección de Datos (AEPD)', url: 'https://www.aepd.es/', country: 'ES' },
  IE: { name: 'Data Protection Commission (DPC)', url: 'https://www.dataprotection.ie/', country: 'IE' },
  NL: { name: 'Autoriteit Persoonsgegevens', url: 'https://autoriteitpersoonsgegevens.nl/', country: 'NL' },
  AT: { name: 'Österreichische Datenschutzbehörde (DSB)', url: 'https://www.dsb.gv.at/', country: 'AT' },
  BE: { name: 'Gegevensbeschermingsautoriteit / Autorité de protection des données', url: 'https://www.dataprotectionauthority.be/', country: 'BE' },
  IT: { name: 'Garante per la protezione dei dati personali', url: 'https://www.garanteprivacy.it/', country: 'IT' },
  LU: { name: 'Commission nationale pour la protection des données (CNPD)', url: 'https://cnpd.public.lu/', country: 'LU' },
  PL: { name: 'Urząd Ochrony Danych Osobowych (UODO)', url: 'https://uodo.gov.pl/', country: 'PL' },
};

/** The authority and where it came from: the profile, the controller's country, or none known (then a generic sentence). */
export interface AuthorityChoice { authority: SupervisoryAuthority | null; source: 'profile' | 'controller-country' | 'generic' }

/** Picks the authority to name for `profile`. */
export function supervisoryAuthorityOf(profile: PrivacyProfile): AuthorityChoice {
  if (profile.supervisoryAuthority) return { authority: profile.supervisoryAuthority, source: 'profile' };
  const country = profile.controller?.country?.toUpperCase();
  const known = country ? NATIONAL_AUTHORITIES[country] : undefined;
  return known ? { authority: known, source: 'controller-country' } : { authority: null, source: 'generic' };
}
