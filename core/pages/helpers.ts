/**
 * The suite's handlebars helpers, registered once per handlebars instance: `t` (lang/<locale>.json, locale from the
 * template root), `formatDate` and `formatNumber` (Intl, in the reader's locale) and `csrfField`.
 */
import Handlebars from 'handlebars';
import { t } from '../i18n';

type Root = { locale?: string; csrfToken?: string };
const rootOf = (options: Handlebars.HelperOptions): Root => (options.data?.root ?? {}) as Root;

/** Epoch ms, a Date or an ISO string as a Date; anything else is none. */
function toDate(v: unknown): Date | undefined {
  const d = v instanceof Date ? v : typeof v === 'number' || typeof v === 'string' ? new Date(v) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
}

/** Registers the helpers on `hb` (an instance of Handlebars.create()). */
export function registerSuiteHelpers(hb: typeof Handlebars): void {
  // {{t "consent.unsubscribe.title" name=value}}: the string in the root's locale, English fallback, escaped by {{ }}.
  hb.registerHelper('t', function (this: unknown, key: unknown, options: Handlebars.HelperOptions) {
    const params = Object.fromEntries(Object.entries(options.hash as Record<string, unknown>).map(([k, v]) => [k, String(v ?? '')]));
    return t(rootOf(options).locale ?? 'en', String(key), params);
  });
  // {{formatDate at}} / {{formatDate at style="long" time=true}}: a date in the reader's locale, UTC.
  hb.registerHelper('formatDate', function (this: unknown, value: unknown, options: Handlebars.HelperOptions) {
    const d = toDate(value);
    if (!d) return '';
    const hash = options.hash as { style?: string; time?: boolean };
    const style = hash.style === 'long' || hash.style === 'short' || hash.style === 'full' ? hash.style : 'medium';
    return new Intl.DateTimeFormat(rootOf(options).locale ?? 'en', { dateStyle: style, ...(hash.time ? { timeStyle: 'short' } : {}), timeZone: 'UTC' }).format(d);
  });
  // {{formatNumber n}}: a number with the reader's digit grouping and decimal mark.
  hb.registerHelper('formatNumber', function (this: unknown, value: unknown, options: Handlebars.HelperOptions) {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    return Number.isFinite(n) ? new Intl.NumberFormat(rootOf(options).locale ?? 'en').format(n) : '';
  });
  // {{csrfField}}: the hidden form field carrying the page's CSRF token (see core/pages/csrf.ts).
  hb.registerHelper('csrfField', function (this: unknown, options: Handlebars.HelperOptions) {
    const token = rootOf(options).csrfToken;
    if (!token) throw new Error('{{csrfField}} on a page rendered without a csrfToken');
    return new hb.SafeString(`<input type="hidden" name="_csrf" value="${hb.escapeExpression(token)}">`);
  });
}
