/**
 * data.json: everything machine-readable (subject, fields, the Art. 15(1) sections, module summaries, record sets),
 * written piece by piece.
 */
import type { Article15 } from './export-article15';
import { article15Json } from './export-article15-text';
import type { ExportSources, SetRef } from './export-sources';

/** What the export says about itself, the brand and the request it answers. */
export interface ExportMeta {
  generatedAt: number;
  locale: string;
  brand: { slug: string; name: string };
  controller: Record<string, unknown> | null;
  request: { id: number; type: string; receivedAt: number };
  /** GDPR Art. 15(1): purposes, categories, recipients, retention, rights, authority, sources (MS-8b). */
  article15?: Article15;
}

/** The format tag at the top of data.json and manifest.json. */
export const EXPORT_FORMAT = 'privacy-suite-export/1';

/** The key of a set in per-set counts (`module/set`). */
export function setKey(s: SetRef): string {
  return `${s.module}/${s.name}`;
}

/**
 * Writes data.json as text pieces in order: head() (everything but the record sets), then for each set setStart(),
 * row() per row and setEnd(), then end(). Sets must come grouped by module, as collectSources lists them.
 */
export class JsonDoc {
  private module: string | null = null;
  private firstSet = true;
  private rows = 0;

  constructor(private readonly meta: ExportMeta, private readonly src: ExportSources) {}

  /** The document up to the opening of "records". */
  head(): string {
    const { meta, src } = this;
    const { subject } = src;
    const text = JSON.stringify({
      format: EXPORT_FORMAT,
      generatedAt: new Date(meta.generatedAt).toISOString(),
      locale: meta.locale,
      brand: meta.brand,
      controller: meta.controller,
      request: meta.request,
      subject: {
        id: subject.id, kind: subject.kind, status: subject.status, createdAt: subject.createdAt, closedAt: subject.closedAt, restricted: subject.restrictedAt !== null,
        fields: src.fields.map((f) => ({ name: f.name, category: f.category, value: f.value, policyVersion: f.policyVersion, updatedAt: f.updatedAt })),
      },
      article15: meta.article15 ? article15Json(meta.article15, meta.locale) : null,
      modules: Object.fromEntries(src.summaries.map((s) => [s.module, s.data])),
    }, null, 2);
    return `${text.slice(0, text.lastIndexOf('}')).trimEnd()},\n  "records": {`;
  }

  /** Opens a set (and its module's object when the module changes). */
  setStart(s: SetRef): string {
    let out = '';
    if (s.module !== this.module) {
      out += `${this.module === null ? '' : '\n    },'}\n    ${JSON.stringify(s.module)}: {`;
      this.module = s.module;
      this.firstSet = true;
    }
    out += `${this.firstSet ? '' : ','}\n      ${JSON.stringify(s.name)}: { "category": ${JSON.stringify(s.category)}, "rows": [`;
    this.firstSet = false;
    this.rows = 0;
    return out;
  }

  /** One row of the open set. */
  row(row: Record<string, unknown>): string {
    return `${this.rows++ ? ',' : ''}\n        ${JSON.stringify(row)}`;
  }

  /** Closes the open set. */
  setEnd(): string {
    return this.rows ? '\n      ] }' : '] }';
  }

  /** Closes the document. */
  end(): string {
    return `${this.module === null ? '' : '\n    }\n  '}}\n}\n`;
  }
}
