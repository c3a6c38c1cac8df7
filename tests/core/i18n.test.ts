/** Locale files in lang/: valid JSON, no orphan keys, the same placeholders as English, English fallback and locale negotiation. */
import fs from 'node:fs';
import path from 'node:path';
import { availableLocales, resolveLocale, t } from '../../core/i18n';

type Dict = { [key: string]: string | Dict };
const LANG_DIR = path.resolve(__dirname, '..', '..', 'lang');
const SHIPPED = ['de', 'fr', 'es', 'ru', 'ar'];

function read(locale: string): Dict {
  return JSON.parse(fs.readFileSync(path.join(LANG_DIR, `${locale}.json`), 'utf8')) as Dict;
}

/** Every leaf as [dotted key, value]; a non-string, non-object leaf is returned as-is so the caller can reject it. */
function leaves(node: Dict, prefix = ''): [string, unknown][] {
  return Object.entries(node).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? leaves(v, `${prefix}${k}.`) : [[`${prefix}${k}`, v] as [string, unknown]]);
}

function placeholders(s: string): string[] {
  return [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
}

/** Literal tokens a translation must keep: headers, commands, routes, env vars. */
function literals(s: string): string[] {
  return [...s.matchAll(/GET \/\S*[^\s.]|X-Suite-[A-Za-z]+|privacy-suite [a-z-]+ [a-z-]+|SUITE_[A-Z_]+|Idempotency-Key|Authorization: Bearer <key>|<timestamp>\.<body>/g)].map((m) => m[0]);
}

const en = new Map(leaves(read('en')));
const locales = availableLocales().filter((l) => l !== 'en');

/**
 * Values that may equal the English one: the same word in that language (a column heading, a cookie category).
 * Anything else equal to en's is an untranslated copy. Keep this short; a product name or code goes here too.
 */
const SAME_AS_EN: Record<string, string[]> = {
  de: [
    'consent.banner.ok', 'consent.banner.category.marketing', 'rights.export.column.status', 'rights.export.column.state', 'rights.export.column.user_agent',
    // The panel's words German uses as they are.
    'consent.admin.ledger.status', 'consent.admin.documents.version', 'registrant.admin.reveal.statusLabel', 'registrant.admin.reveal.domain',
    'registrant.admin.reveal.name', 'registrant.admin.reveal.organisation', 'rights.center.col.download', 'retention.admin.col.status',
    'admin.audit.filter', 'admin.audit.details', 'admin.hookFailures.hook', 'admin.brands.name', 'admin.profile.code',
  ],
  fr: [
    'consent.banner.ok', 'consent.banner.category.marketing', 'rights.export.column.total', 'rights.export.column.action', 'rights.export.column.notes',
    'consent.admin.ledger.kinds.client', 'consent.admin.ledger.kinds.contact', 'consent.admin.documents.kind', 'consent.admin.documents.version',
    'registrant.admin.reveal.organisation', 'rights.center.type.confirm', 'retention.admin.col.note', 'admin.dashboard.modulePanel', 'admin.audit.action',
    'admin.outbox.id', 'admin.hookFailures.hook', 'admin.brands.sections', 'admin.profile.doubleOptIn', 'admin.profile.code', 'admin.profile.description',
  ],
  es: [
    'consent.banner.category.marketing', 'rights.export.column.total', 'rights.export.no', 'rights.records.no',
    'consent.admin.ledger.no', 'consent.admin.documents.no', 'rights.admin.no', 'retention.admin.no', 'retention.admin.col.error', 'admin.audit.actor',
    'admin.hookFailures.hook', 'admin.profile.general', 'admin.profile.roles', 'admin.profile.no',
  ],
};

describe('lang/ locale files', () => {
  it('ships de, fr, es, ru and ar next to en', () => {
    expect(availableLocales()).toEqual(expect.arrayContaining(['en', ...SHIPPED]));
  });

  it.each(locales)('%s.json parses and every value is a string', (locale) => {
    const entries = leaves(read(locale));
    expect(entries.length).toBeGreaterThan(0);
    for (const [key, value] of entries) expect([key, typeof value]).toEqual([key, 'string']);
  });

  it.each(locales)('%s.json has no orphan keys: every key exists in en.json', (locale) => {
    const orphans = leaves(read(locale)).map(([k]) => k).filter((k) => !en.has(k));
    expect(orphans).toEqual([]);
  });

  it.each(locales)('%s.json has every key en.json has', (locale) => {
    const keys = new Set(leaves(read(locale)).map(([k]) => k));
    expect([...en.keys()].filter((k) => !keys.has(k))).toEqual([]);
  });

  it.each(locales)('%s.json translates: no value is a copy of the English one (except the allow-list)', (locale) => {
    const allowed = new Set(SAME_AS_EN[locale] ?? []);
    const copies = leaves(read(locale)).filter(([k, v]) => !allowed.has(k) && /\p{L}{2}/u.test(String(v).replace(/\{\w+\}/g, '')) && v === en.get(k)).map(([k]) => k);
    expect(copies).toEqual([]);
  });

  it.each(locales)('%s.json keeps the placeholders of each English string exactly', (locale) => {
    for (const [key, value] of leaves(read(locale))) {
      expect([key, placeholders(String(value))]).toEqual([key, placeholders(String(en.get(key)))]);
    }
  });

  it.each(locales)('%s.json keeps headers, commands, routes and variable names literally', (locale) => {
    for (const [key, value] of leaves(read(locale))) {
      const want = literals(String(en.get(key)));
      expect([key, literals(String(value)).sort()]).toEqual([key, [...want].sort()]);
    }
  });

  it.each(SHIPPED)('%s.json translates the error catalogue and the platform strings', (locale) => {
    const keys = new Set(leaves(read(locale)).map(([k]) => k));
    for (const key of ['errors.SUITE_VALIDATION_FAILED', 'errors.SUITE_INTERNAL', 'errors.SUITE_SALE_FORBIDDEN', 'platform.abuse.suspended']) expect(keys).toContain(key);
  });
});

describe('t() and resolveLocale()', () => {
  it("t('de', key) returns the German string with its placeholders filled", () => {
    expect(t('de', 'errors.SUITE_BRAND_UNKNOWN', { brand: 'acme' })).toBe('Es gibt keine Marke „acme“. privacy-suite brand list zeigt die Marken an.');
    expect(t('de', 'platform.abuse.suspended', { category: 'spam' })).toBe('Dienst nach einer Missbrauchsbeschwerde gesperrt (spam).');
  });

  it('each shipped locale returns its own text, not English', () => {
    for (const locale of SHIPPED) expect(t(locale, 'errors.SUITE_AUTH_INVALID')).not.toBe(t('en', 'errors.SUITE_AUTH_INVALID'));
  });

  it('a key missing from a locale file falls back to English', () => {
    const realRead = fs.readFileSync;
    jest.isolateModules(() => {
      jest.doMock('node:fs', () => ({
        ...fs,
        readFileSync: (file: fs.PathOrFileDescriptor, options?: unknown) =>
          String(file).endsWith(`${path.sep}de.json`)
            ? JSON.stringify({ errors: { SUITE_AUTH_INVALID: 'Der API-Schlüssel ist ungültig oder wurde widerrufen.' } })
            : realRead(file, options as BufferEncoding),
      }));
      const i18n = require('../../core/i18n') as typeof import('../../core/i18n');
      expect(i18n.t('de', 'errors.SUITE_AUTH_INVALID')).toBe('Der API-Schlüssel ist ungültig oder wurde widerrufen.');
      expect(i18n.t('de', 'errors.SUITE_BRAND_EXISTS', { brand: 'acme' })).toBe('A brand "acme" already exists. Choose another slug.');
    });
    jest.dontMock('node:fs');
  });

  it('a locale with no file falls back to English, and an unknown key to the key itself', () => {
    expect(t('xx', 'errors.SUITE_AUTH_INVALID')).toBe('The API key is not valid or was revoked.');
    expect(t('de', 'errors.NO_SUCH_KEY')).toBe('errors.NO_SUCH_KEY');
  });

  it("resolveLocale('de-DE,de;q=0.9') is 'de' and an unknown locale is 'en'", () => {
    expect(resolveLocale('de-DE,de;q=0.9')).toBe('de');
    expect(resolveLocale('fr_CA')).toBe('fr');
    expect(resolveLocale('ar')).toBe('ar');
    expect(resolveLocale('xx-YY')).toBe('en');
    expect(resolveLocale(undefined)).toBe('en');
  });
});
