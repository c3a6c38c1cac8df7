/**
 * Which profile fields the published policy shows, and which it leaves out on purpose. The fidelity test walks the
 * profile schema: a field in neither list fails it, so a new behavioural field cannot ship without a place on the page.
 */

/** Profile fields (dotted paths of `PrivacyProfile`) that change the policy view when they change. */
export const VIEW_COVERS = [
  'languages', 'controller', 'supervisoryAuthority',
  'consent.model', 'consent.channels', 'consent.doubleOptIn', 'consent.requireTermsAtCheckout', 'consent.minimumAge',
  'cookies.mode', 'cookies.categories', 'cookies.honourGpc',
  'rights.dueRule', 'rights.dueBusinessDays', 'rights.resellerRemovalBusinessDays', 'rights.holidays', 'rights.weekend',
  'rights.verifyIdentity', 'rights.holidayCountry', 'rights.holidayRegion',
  'retention', 'statutoryInvoiceYears', 'purposes', 'recipients', 'policy.noticePeriodDays', 'access',
  'aggregates.kAnonymity', 'inventory.customFields', 'inventory.healthFields',
] as const;

/**
 * Profile fields the view leaves out, each with the reason. `locale` only picks the language a reader gets when
 * they ask for none (the page's language, not its content). `modules` holds each module's operational settings;
 * the few a reader needs (cookie policy page, registrant privacy service and reveal time, export link lifetime)
 * reach the view through `PolicySettings`, which `policySettings()` reads from this section.
 */
export const VIEW_EXCLUDES: Record<string, string> = {
  locale: 'the default reading language, not a promise',
  branding: 'the look of the brand\'s pages (name, colour, logo), applied by the page layout, not a promise',
  modules: 'operational module settings; the ones a reader needs are read by policySettings()',
};
