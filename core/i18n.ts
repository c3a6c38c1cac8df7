/** User-facing strings: one JSON file per locale in lang/, English fallback for missing keys. */
import fs from 'node:fs';
import path from 'node:path';

type Dict = Record<string, unknown>;
const LANG_DIR = path.resolve(__dirname, '..', 'lang');
const cache = new Map<string, Dict>();
let shipped: Set<string> | undefined;

function load(locale: string): Dict {
  let dict = cache.get(locale);
  if (!dict) {
    const file = path.join(LANG_DIR, `${locale}.json`);
    dict = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Dict) : {};
    cache.set(locale, dict);
  }
  return dict;
}

function lookup(dict: Dict, key: string): string | undefined {
  let node: unknown = dict;
  for (const part of key.split('.')) {
    if (node && typeof node === 'object' && part in (node as Dict)) node = (node as Dict)[part];
    else return undefined;
  }
  return typeof node === 'string' ? node : undefined;
}

/** The locales shipped in lang/. */
export function availableLocales(): string[] {
  return fs.readdirSync(LANG_DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
}

/** Normalises "de-DE,de;q=0.9" or "pt_BR" to a shipped locale, defaulting to en. */
export function resolveLocale(requested?: string | null): string {
  if (!requested) return 'en';
  const base = requested.split(/[,;]/)[0].trim().toLowerCase().split(/[-_]/)[0];
  shipped ??= new Set(availableLocales()); // read once: called on every request
  return shipped.has(base) ? base : 'en';
}

/** Translates a key, interpolating {name} placeholders; falls back to en, then to the key itself. */
export function t(locale: string, key: string, params: Record<string, string | number> = {}): string {
  const template = lookup(load(locale), key) ?? lookup(load('en'), key) ?? key;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}
