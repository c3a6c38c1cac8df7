/**
 * The record of processing as CSV (section, item, details — one line per entry, for a spreadsheet) and as an HTML page
 * (handlebars, every value escaped; headings from lang/<locale>.json under rights.records).
 */
import Handlebars from 'handlebars';
import { csvRows } from '../../../core/csv';
import { t } from '../../../core/i18n';
import { pageDir, registerSuiteHelpers } from '../../../core/pages';
import type { RecordsOfProcessing } from './records-of-processing';

const yesNo = (locale: string, v: boolean | null): string => t(locale, v === null ? 'rights.records.unknown' : v ? 'rights.records.yes' : 'rights.records.no');

/** The record as CSV lines of section, item and details. */
export function recordsCsv(r: RecordsOfProcessing, locale: string): string {
  const L = (key: string, params?: Record<string, string | number>) => t(locale, `rights.records.${key}`, params);
  const lines: string[][] = [[L('section'), L('item'), L('details')]];
  const c = r.controller;
  if (c) lines.push([L('controller'), c.name, [c.address, c.email, c.country ?? ''].filter(Boolean).join('; ')]);
  if (r.dpo) lines.push([L('dpo'), r.dpo, '']);
  for (const p of r.processors) lines.push([L('processors'), p.name, `${p.role}; ${p.email}`]);
  for (const p of r.purposes) lines.push([L('purposes'), p.code, `${p.description}; ${L('legalBasis')}: ${p.legalBasis}; ${L('consentRequired')}: ${yesNo(locale, p.requiresConsent)}`]);
  for (const s of r.dataSubjects) lines.push([L('dataSubjects'), s.kind, s.description]);
  for (const x of r.categories) lines.push([L('categories'), x.category, [...x.fields, ...x.customFields].join(' ')]);
  for (const x of r.recipients) {
    lines.push([L('recipients'), x.code, `${x.name}; ${L('kind')}: ${x.kind}; ${L('country')}: ${x.country ?? '-'}; ${L('transfer')}: ${yesNo(locale, x.transfer)}; ${L('purposes')}: ${x.purposes.join(' ')}; ${L('categories')}: ${x.categories.join(' ')}`]);
  }
  for (const rule of r.retention.rules) lines.push([L('retention'), rule.category, L('retentionRule', { days: rule.days, from: rule.from, action: rule.action })]);
  lines.push([L('retention'), 'invoices', L('statutoryInvoices', { years: r.retention.statutoryInvoiceYears })]);
  r.security.forEach((s, i) => lines.push([L('securityMeasures'), String(i + 1), s]));
  for (const m of r.modules.filter((x) => x.enabled)) lines.push([L('modules'), m.name, `${m.version}; ${m.description}`]);
  return csvRows(lines);
}

const hb = Handlebars.create();
registerSuiteHelpers(hb);
hb.registerHelper('yn', function (this: unknown, v: unknown, options: Handlebars.HelperOptions) {
  const root = options.data?.root as { locale?: string } | undefined;
  return yesNo(root?.locale ?? 'en', v === null || v === undefined ? null : Boolean(v));
});
hb.registerHelper('join', (a: unknown) => (Array.isArray(a) ? a.join(', ') : ''));

const PAGE = hb.compile(`<!doctype html>
<html lang="{{locale}}" dir="{{dir}}"><head><meta charset="utf-8"><title>{{t "rights.records.title"}} — {{record.brand.name}}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}</style></head>
<body><h1>{{t "rights.records.title"}} — {{record.brand.name}}</h1>
<h2>{{t "rights.records.controller"}}</h2>{{#with record.controller}}<p>{{name}}<br>{{address}}<br>{{email}} {{country}}</p>{{/with}}
{{#if record.dpo}}<p>{{t "rights.records.dpo"}}: {{record.dpo}}</p>{{/if}}
{{#if record.processors.length}}<h2>{{t "rights.records.processors"}}</h2><ul>{{#each record.processors}}<li>{{name}} ({{email}}) — {{role}}</li>{{/each}}</ul>{{/if}}
<h2>{{t "rights.records.purposes"}}</h2><table><tr><th>{{t "rights.records.item"}}</th><th>{{t "rights.records.details"}}</th><th>{{t "rights.records.legalBasis"}}</th><th>{{t "rights.records.consentRequired"}}</th></tr>
{{#each record.purposes}}<tr><td>{{code}}</td><td>{{description}}</td><td>{{legalBasis}}</td><td>{{yn requiresConsent}}</td></tr>{{/each}}</table>
<h2>{{t "rights.records.dataSubjects"}}</h2><ul>{{#each record.dataSubjects}}<li>{{kind}}: {{description}}</li>{{/each}}</ul>
<h2>{{t "rights.records.categories"}}</h2><table>{{#each record.categories}}<tr><td>{{category}}</td><td>{{join fields}} {{join customFields}}</td></tr>{{/each}}</table>
<h2>{{t "rights.records.recipients"}}</h2><table><tr><th>{{t "rights.records.item"}}</th><th>{{t "rights.records.kind"}}</th><th>{{t "rights.records.country"}}</th><th>{{t "rights.records.transfer"}}</th><th>{{t "rights.records.purposes"}}</th><th>{{t "rights.records.categories"}}</th></tr>
{{#each record.recipients}}<tr><td>{{name}} ({{code}})</td><td>{{kind}}</td><td>{{country}}</td><td>{{yn transfer}}</td><td>{{join purposes}}</td><td>{{join categories}}</td></tr>{{/each}}</table>
<h2>{{t "rights.records.retention"}}</h2><ul>{{#each record.retention.rules}}<li>{{category}}: {{t "rights.records.retentionRule" days=days from=from action=action}}</li>{{/each}}
<li>{{t "rights.records.statutoryInvoices" years=record.retention.statutoryInvoiceYears}}</li></ul>
<h2>{{t "rights.records.securityMeasures"}}</h2><ul>{{#each record.security}}<li>{{this}}</li>{{/each}}</ul>
<h2>{{t "rights.records.modules"}}</h2><ul>{{#each record.modules}}{{#if enabled}}<li>{{name}} {{version}} — {{description}}</li>{{/if}}{{/each}}</ul>
</body></html>
`, { strict: false });

/** The record as a self-contained HTML page. */
export function recordsHtml(r: RecordsOfProcessing, locale: string): string {
  return PAGE({ record: r, locale, dir: pageDir(locale) });
}
