/**
 * What goes into a person's export: the subject and its category-tagged fields from the inventory, and from every module
 * enabled for the brand that holds personal data its `export()` summary and its `records()` sets. Summaries are small
 * and held in memory; record sets are only listed here and streamed later, once per file that shows them.
 */
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { ExportRecordSet, PersonalDataProvider } from '../../../core/modules/define-module';
import type { DataCategory } from '../../../core/profile/schema';
import type { Subject, SubjectField } from '../../../core/subjects/subject-service';

/**
 * The module whose summary is the subject register itself (kernel.subjects): its fields are written once, as the
 * export's `subject` section, instead of a second time as that module's summary.
 */
export const SUBJECT_REGISTER_MODULE = 'inventory';

/** A record set as listed: which module, its name and data category. */
export interface SetRef { module: string; name: string; category: DataCategory }

/** One module's summary. */
export interface ModuleSummary { module: string; data: Record<string, unknown> }

/** Everything the export files are written from. */
export interface ExportSources {
  subject: Subject;
  fields: SubjectField[];
  summaries: ModuleSummary[];
  sets: SetRef[];
  /** Modules that contributed (in load order), including the subject register. */
  modules: string[];
  /** Streams the rows of a listed set (a fresh query each time it is called). */
  rows: (set: SetRef) => AsyncIterable<Record<string, unknown>>;
}

async function* setRows(provider: PersonalDataProvider, kernel: Kernel, subjectId: number, ref: SetRef): AsyncGenerator<Record<string, unknown>> {
  for await (const set of provider.records!(subjectId, { kernel })) {
    if (set.name !== ref.name) continue;
    yield* set.rows;
    return;
  }
}

async function listSets(provider: PersonalDataProvider, kernel: Kernel, subjectId: number, module: string): Promise<SetRef[]> {
  const out: SetRef[] = [];
  const seen = new Set<string>();
  if (!provider.records) return out;
  // Sets are listed without reading their rows (rows are lazy async iterables).
  for await (const set of provider.records(subjectId, { kernel }) as AsyncIterable<ExportRecordSet>) {
    if (seen.has(set.name)) continue; // a set name is unique within its module
    seen.add(set.name);
    out.push({ module, name: set.name, category: set.category });
  }
  return out;
}

/** Collects the summaries and lists the record sets of `subjectId` for the modules enabled on `brand`. */
export async function collectSources(kernel: Kernel, brand: Brand, subjectId: number): Promise<ExportSources> {
  const subject = await kernel.subjects.get(subjectId);
  const fields = await kernel.subjects.fields(subjectId);
  const summaries: ModuleSummary[] = [];
  const sets: SetRef[] = [];
  const modules: string[] = [];
  const providers = new Map<string, PersonalDataProvider>();
  for (const m of kernel.modules.list()) {
    if (!m.personalData || !(await kernel.modules.enabledFor(kernel.brands, brand, m.name))) continue;
    modules.push(m.name);
    providers.set(m.name, m.personalData);
    const own = await listSets(m.personalData, kernel, subjectId, m.name);
    sets.push(...own);
    if (m.name === SUBJECT_REGISTER_MODULE) continue;
    const data = { ...(await m.personalData.export(subjectId, { kernel })) };
    // A set streams what a summary key of the same name would hold in memory: the set replaces it.
    for (const s of own) delete data[s.name];
    summaries.push({ module: m.name, data });
  }
  return {
    subject, fields, summaries, sets, modules,
    rows: (ref) => setRows(providers.get(ref.module)!, kernel, subjectId, ref),
  };
}

/** The data categories the export has a CSV for: those of the fields and of the record sets, sorted. */
export function categoriesOf(sources: ExportSources): DataCategory[] {
  return [...new Set<DataCategory>([...sources.fields.map((f) => f.category), ...sources.sets.map((s) => s.category)])].sort();
}
