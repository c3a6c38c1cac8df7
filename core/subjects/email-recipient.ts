/** The address and language a consent email goes to, from the inventory (contact category); none for an erased subject. */
import { SuiteError } from '../errors';
import { resolveLocale } from '../i18n';
import type { Kernel } from '../kernel';

/** Where and in which language to send; `undefined` when there is nobody to send to. */
export interface EmailRecipient { email: string; locale: string }

/** WHMCS sends language names ("german"); the suite ships locale codes. */
const WHMCS_LANGUAGES: Record<string, string> = { english: 'en', german: 'de', deutsch: 'de', french: 'fr', spanish: 'es', russian: 'ru', arabic: 'ar' };

/** A WHMCS language name or a locale code as a shipped locale, or undefined when it is neither. */
export function localeOfLanguage(language: string | undefined): string | undefined {
  if (!language) return undefined;
  const mapped = WHMCS_LANGUAGES[language.trim().toLowerCase()];
  if (mapped) return mapped;
  const resolved = resolveLocale(language);
  return resolved === 'en' && !/^en\b/i.test(language.trim()) ? undefined : resolved;
}

/** The subject's email and preferred locale (else `fallbackLocale`); undefined if the subject is unknown, erased, of another brand or has no email. */
export async function emailRecipient(kernel: Kernel, brandId: number, subjectId: number, fallbackLocale: string): Promise<EmailRecipient | undefined> {
  let subject;
  try {
    subject = await kernel.subjects.get(subjectId);
  } catch (err) {
    if (err instanceof SuiteError && err.code === 'SUITE_SUBJECT_UNKNOWN') return undefined;
    throw err;
  }
  if (subject.status === 'erased' || subject.brandId !== brandId) return undefined;
  const fields = await kernel.subjects.fields(subjectId, ['contact']);
  const email = fields.find((f) => f.name === 'email')?.value.trim();
  if (!email) return undefined;
  const language = fields.find((f) => f.name === 'language')?.value;
  return { email, locale: localeOfLanguage(language) ?? resolveLocale(fallbackLocale) };
}
