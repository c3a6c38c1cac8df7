/** Renders a policy view as the page templates/policy/policy.hbs through the shared page layer (core/pages). */
import { brandingOf, type PageOptions } from '../../../core/pages';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { t } from '../../../core/i18n';
import type { PolicyView } from './policy-view';

/** Which version the page shows and what else exists: links to every archived version and the upcoming one. */
export interface PolicyEdition {
  version: string | null;
  effectiveAt: number | null;
  archived: boolean;
  /** The shown version is published but not yet in force (its notice period runs). */
  pending: boolean;
  upcoming: { version: string; effectiveAt: number } | null;
  versions: { version: string; effectiveAt: number; material: boolean }[];
}

const list = (locale: string, prefix: string, codes: readonly string[]): string => codes.map((c) => t(locale, `${prefix}.${c}`)).join(', ');

/** The view with the lists and calendar the template prints already put in the reader's words. */
export function policyDisplay(view: PolicyView, locale: string) {
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });
  const home = view.controller?.country;
  const languageName = new Intl.DisplayNames([locale], { type: 'language' });
  const regionName = new Intl.DisplayNames([locale], { type: 'region' });
  const country = (code: string | null | undefined): string => (code ? regionName.of(code.toUpperCase()) ?? code : '');
  return {
    ...view,
    controllerCountry: country(view.controller?.country),
    holidayCountryName: country(view.rights.holidayCountry),
    languageLinks: view.languages.map((code) => ({ code, name: languageName.of(code) ?? code })),
    weekendNames: view.rights.weekend.map((d) => weekday.format(new Date(Date.UTC(2023, 0, 1 + d)))).join(', '),
    collected: view.collected.map((c) => ({ ...c, categoryName: t(locale, `policy.category.${c.category}`), categoryInfo: t(locale, `policy.categoryInfo.${c.category}`), readByNames: list(locale, 'policy.role', c.readBy) })),
    purposes: view.purposes.map((p) => ({ ...p, basisName: t(locale, `policy.basis.${p.legalBasis}`), consentBesides: p.requiresConsent && p.legalBasis !== 'consent' })),
    recipients: view.recipients.map((r) => ({
      ...r, countryName: country(r.country), categoryNames: list(locale, 'policy.category', r.categories),
      transferText: r.transfer === null ? t(locale, 'policy.recipients.countryUnknown') : r.transfer ? t(locale, 'policy.recipients.transfer', { home: country(home) }) : t(locale, 'policy.recipients.sameCountry'),
    })),
    access: view.access.map((a) => ({ ...a, categoryName: t(locale, `policy.category.${a.category}`), roleNames: a.roles.length ? list(locale, 'policy.role', a.roles) : t(locale, 'policy.access.nobody') })),
    retentionRows: view.retention.rules.map((r) => ({ ...r, categoryName: t(locale, `policy.category.${r.category}`), eventName: t(locale, `policy.event.${r.from}`), actionName: t(locale, `policy.action.${r.action}`) })),
    rightNames: view.rights.list.map((r) => t(locale, `policy.right.${r}`)),
    cookieCategoryNames: list(locale, 'policy.cookieCategory', view.cookies.categories),
    channelNames: list(locale, 'policy.channel', view.marketing.channels),
    safeguardNames: view.safeguards.map((s) => t(locale, `policy.safeguard.${s}`)),
    modelOptOut: view.marketing.model === 'opt-out',
    noticeOnly: view.cookies.mode === 'notice-only',
    dueText: view.rights.dueRule === 'business-days' ? t(locale, 'policy.rights.dueBusinessDays', { days: view.rights.dueBusinessDays }) : t(locale, `policy.rights.due.${view.rights.dueRule}`),
    noticeText: view.changes.noticePeriodDays === 0 ? t(locale, 'policy.changes.withoutNotice') : t(locale, 'policy.changes.notice', { days: view.changes.noticePeriodDays }),
  };
}

/** The page options (for `renderPage` / `sendPage`) of a view in `locale`. */
export function policyPage(view: PolicyView, edition: PolicyEdition, locale: string, profile: Pick<PrivacyProfile, 'branding'>): Omit<PageOptions, 'nonce'> {
  return {
    page: 'policy/policy', locale, branding: brandingOf({ name: view.brand.name }, profile),
    view: { title: t(locale, 'policy.title'), policy: policyDisplay(view, locale), edition, privacyCenter: `/b/${view.brand.slug}/privacy`, policyPath: `/b/${view.brand.slug}/policy` },
  };
}
