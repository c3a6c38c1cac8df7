/**
 * index.html: the human-readable copy, in the request's language (lang rights.export.*, English fallback; right to
 * left for Arabic). Rendered with handlebars from templates/export/*.hbs, compiled once, so every value is escaped;
 * record sets are written row by row, never held whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { t } from '../../../core/i18n';
import { pageDir, registerSuiteHelpers } from '../../../core/pages';
import type { DataCategory } from '../../../core/profile/schema';
import { article15View } from './export-article15-text';
import type { ExportMeta } from './export-json';
import { flatten, type FlatField } from './export-format';
import type { ExportSources, SetRef } from './export-sources';

const TEMPLATE_DIR = path.resolve(__dirname, '..', '..', '..', 'templates', 'export');
const PARTS = ['page-start', 'article15', 'summary', 'set-start', 'rows', 'set-end', 'page-end'] as const;
/** Rows rendered per template call. */
const ROW_BATCH = 256;
type Part = (typeof PARTS)[number];

const hb = Handlebars.create();
registerSuiteHelpers(hb);

let compiled: Record<Part, Handlebars.TemplateDelegate> | undefined;

function templates(): Record<Part, Handlebars.TemplateDelegate> {
  compiled ??= Object.fromEntries(PARTS.map((p) => [p, hb.compile(fs.readFileSync(path.join(TEMPLATE_DIR, `${p}.hbs`), 'utf8'), { strict: false })])) as Record<Part, Handlebars.TemplateDelegate>;
  return compiled;
}

/** A translation, or `fallback` when the locale and English have none. */
function label(locale: string, key: string, fallback: string): string {
  const s = t(locale, key);
  return s === key ? fallback : s;
}

const TIMESTAMP = /(At|_at)$|^at$/;

/** Formats values for reading: timestamps (fields ending in At/_at, or "at") as dates, booleans as yes/no. */
function formatter(locale: string): (path: string, value: FlatField['value']) => string {
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  const yes = t(locale, 'rights.export.yes');
  const no = t(locale, 'rights.export.no');
  // Log rows cluster in time: the formatted minute is cached (bounded), formatting dates is the costly part of a row.
  const minutes = new Map<number, string>();
  const date = (ms: number): string => {
    const minute = Math.floor(ms / 60_000);
    let s = minutes.get(minute);
    if (s === undefined) {
      if (minutes.size >= 4096) minutes.clear();
      s = `${dates.format(minute * 60_000)} UTC`;
      minutes.set(minute, s);
    }
    return s;
  };
  return (p, value) => {
    if (value === null) return '—';
    if (typeof value === 'boolean') return value ? yes : no;
    if (typeof value === 'number' && value > 1e11 && value < 1e14 && TIMESTAMP.test(p.slice(p.lastIndexOf('.') + 1))) return date(value);
    return String(value);
  };
}

/** Whether a row has only scalar values (then its keys are its columns, no flattening needed). */
function isFlat(row: Record<string, unknown>): boolean {
  for (const k in row) {
    const v = row[k];
    if (v !== null && typeof v === 'object') return false;
  }
  return true;
}

/** Writes index.html in pieces: head() (details and summaries), then per set setStart(), row() per row, setEnd(); end(). */
export class HtmlDoc {
  private readonly tpl = templates();
  private readonly fmt: ReturnType<typeof formatter>;
  private readonly root: { locale: string; dir: string };
  private set: { ref: SetRef; heading: string; category: string; columns: string[] | null; count: number; batch: string[][] } | null = null;

  constructor(private readonly meta: ExportMeta, private readonly src: ExportSources) {
    this.fmt = formatter(meta.locale);
    this.root = { locale: meta.locale, dir: pageDir(meta.locale) };
  }

  /** The page up to the first record set: the person's details by category, the Art. 15(1) sections, each module's summary. */
  head(): string {
    const { meta, src, root, fmt, tpl } = this;
    const { locale } = meta;
    const byCategory = new Map<DataCategory, { name: string; value: string }[]>();
    for (const f of src.fields) byCategory.set(f.category, [...(byCategory.get(f.category) ?? []), { name: label(locale, `rights.export.column.${f.name}`, f.name), value: f.value }]);
    const controller = meta.controller && typeof meta.controller.name === 'string' ? { name: meta.controller.name, email: String(meta.controller.email ?? '') } : null;
    let out = tpl['page-start']({
      ...root, brand: meta.brand.name, generated: fmt('at', meta.generatedAt), requestId: meta.request.id, received: fmt('at', meta.request.receivedAt), controller,
      categories: [...byCategory].map(([c, fields]) => ({ label: label(locale, `rights.export.category.${c}`, c), fields })),
    });
    // GDPR Art. 15(1): what the law entitles the person to know beside the data (small, rendered whole).
    if (meta.article15) out += tpl.article15({ ...root, a15: article15View(meta.article15, locale, (ms) => fmt('at', ms)) });
    for (const { module, data } of src.summaries) {
      const rows = flatten(data).filter((f) => f.path !== '').map((f) => ({ path: f.path, value: fmt(f.path, f.value) }));
      out += tpl.summary({ ...root, heading: label(locale, `rights.export.module.${module}`, module), rows });
    }
    return out;
  }

  /** Starts a set (its table opens with the first row, whose fields name the columns). */
  setStart(ref: SetRef): string {
    const { locale } = this.meta;
    this.set = {
      ref, columns: null, count: 0, batch: [],
      heading: `${label(locale, `rights.export.module.${ref.module}`, ref.module)} — ${label(locale, `rights.export.set.${ref.name}`, ref.name)}`,
      category: label(locale, `rights.export.category.${ref.category}`, ref.category),
    };
    return '';
  }

  /** One row of the open set (rendered in batches); fields the first row did not have are added to its last cell. */
  row(row: Record<string, unknown>): string {
    const set = this.set!;
    const { fmt } = this;
    let out = '';
    const flat = isFlat(row);
    const leaves = flat ? null : flatten(row);
    if (!set.columns) {
      set.columns = leaves ? leaves.map((f) => f.path) : Object.keys(row);
      const locale = this.meta.locale;
      out += this.tpl['set-start']({ ...this.root, heading: set.heading, category: set.category, columns: set.columns.map((c) => label(locale, `rights.export.column.${c}`, c)) });
    }
    const values: Record<string, FlatField['value']> = leaves ? Object.fromEntries(leaves.map((f) => [f.path, f.value])) : (row as Record<string, FlatField['value']>);
    const cells = set.columns.map((c) => (c in values ? fmt(c, values[c]) : ''));
    const extra = Object.keys(values).filter((k) => !set.columns!.includes(k));
    if (extra.length) cells[cells.length - 1] += ` (${extra.map((k) => `${k}: ${fmt(k, values[k])}`).join(', ')})`;
    set.count++;
    set.batch.push(cells);
    return set.batch.length >= ROW_BATCH ? out + this.flush() : out;
  }

  private flush(): string {
    const set = this.set!;
    if (!set.batch.length) return '';
    const html = this.tpl.rows({ rows: set.batch });
    set.batch = [];
    return html;
  }

  /** Ends the open set. */
  setEnd(): string {
    const set = this.set!;
    const rest = this.flush();
    this.set = null;
    const start = set.columns ? '' : this.tpl['set-start']({ ...this.root, heading: set.heading, category: set.category, columns: [] });
    return start + rest + this.tpl['set-end']({ ...this.root, count: set.count });
  }

  /** The end of the page. */
  end(): string {
    return this.tpl['page-end'](this.root);
  }
}
