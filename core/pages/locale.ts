/** A page's language: `?lang=`, then Accept-Language, else the brand's profile locale; Arabic reads right to left. */
import type { Request } from 'express';
import { availableLocales, resolveLocale } from '../i18n';

const RTL = new Set(['ar']);
let shipped: Set<string> | undefined;

/** The shipped locale a tag ("de-DE", "pt_BR") names, or none. */
function shippedLocale(tag: string): string | undefined {
  shipped ??= new Set(availableLocales());
  const base = tag.trim().toLowerCase().split(/[-_]/)[0];
  return shipped.has(base) ? base : undefined;
}

/** The best shipped locale of an Accept-Language header by its q-values ("*" and unknown tags skipped), or none. */
function fromAcceptLanguage(header: string | undefined): string | undefined {
  const ranked = (header ?? '').split(',').slice(0, 20).map((part, i) => {
    const [tag, ...params] = part.split(';');
    const q = Number(/q=([\d.]+)/.exec(params.join(';'))?.[1] ?? '1');
    return { tag, q: Number.isFinite(q) ? q : 0, i };
  }).filter((x) => x.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    const l = shippedLocale(tag);
    if (l) return l;
  }
  return undefined;
}

/** The first of `?lang=`, the Accept-Language header, `fallback` (the brand profile's locale), as a shipped locale. */
export function pageLocale(req: Request, fallback: string): string {
  const q = typeof req.query.lang === 'string' ? shippedLocale(req.query.lang) : undefined;
  return q ?? fromAcceptLanguage(req.headers['accept-language']) ?? resolveLocale(fallback);
}

/** `rtl` for a right-to-left locale, else `ltr`. */
export function pageDir(locale: string): 'rtl' | 'ltr' {
  return RTL.has(locale) ? 'rtl' : 'ltr';
}
