/** What the cookie banner shows for a brand: mode, categories, strings per language, and a stable version hash of all of it. */
import crypto from 'node:crypto';
import { canonicalJson } from '../../../core/chain/hash-chain';
import { availableLocales, t } from '../../../core/i18n';
import type { PrivacyProfile } from '../../../core/profile/schema';
import type { CookieSettings } from './cookie-settings';

/** A cookie category a visitor can choose (necessary is always on and never recorded). */
export type OptionalCategory = 'analytics' | 'marketing' | 'social';
export const OPTIONAL_CATEGORIES: readonly OptionalCategory[] = ['analytics', 'marketing', 'social'];

const STRING_KEYS = ['title', 'notice', 'optIn', 'ok', 'acceptAll', 'rejectAll', 'save', 'policy', 'gpc',
  'category.necessary', 'category.analytics', 'category.marketing', 'category.social'] as const;
const RTL = new Set(['ar', 'he', 'fa', 'ur']);

/** The configuration handed to the embedded script (and hashed into the banner version). */
export interface BannerConfig {
  mode: 'notice-only' | 'opt-in';
  categories: OptionalCategory[];
  honourGpc: boolean;
  policyUrl: string | null;
  defaultLang: string;
  strings: Record<string, Record<string, string>>;
  bannerVersion: string;
}

/** The banner's strings in one locale, flat (`category.analytics` → text), plus its writing direction. */
export function bannerStrings(locale: string): Record<string, string> {
  const out: Record<string, string> = { dir: RTL.has(locale) ? 'rtl' : 'ltr' };
  for (const key of STRING_KEYS) out[key] = t(locale, `consent.banner.${key}`);
  return out;
}

/** Builds the brand's banner: the profile's cookie section, its languages, and the module's cookie settings. */
export function bannerConfig(profile: PrivacyProfile, settings: CookieSettings): BannerConfig {
  const shipped = new Set(availableLocales());
  const langs = [...new Set([profile.locale, ...profile.languages, 'en'])].filter((l) => shipped.has(l)).sort();
  const strings: Record<string, Record<string, string>> = {};
  for (const l of langs) strings[l] = bannerStrings(l);
  const body = {
    mode: profile.cookies.mode,
    categories: OPTIONAL_CATEGORIES.filter((c) => profile.cookies.categories.includes(c)),
    honourGpc: profile.cookies.honourGpc,
    policyUrl: settings.policyUrl ?? null,
    defaultLang: shipped.has(profile.locale) ? profile.locale : 'en',
    strings,
  };
  return { ...body, bannerVersion: bannerVersionOf(body) };
}

/** A short, stable hash of what the visitor is shown: the same config and strings always give the same version. */
export function bannerVersionOf(body: Omit<BannerConfig, 'bannerVersion'>): string {
  return crypto.createHash('sha256').update(canonicalJson(body)).digest('hex').slice(0, 16);
}
