/** The daily job that reports policy versions which took effect since its last run (each version is reported once). */
import type { JobSpec } from '../../../core/modules/define-module';

/** `consent:policy-effective`: marks and returns the versions whose effective date has come. */
export const policyEffectiveJob: JobSpec = {
  name: 'policy-effective',
  schedule: '15 0 * * *',
  description: 'Reports policy versions (terms, privacy, cookies, DPA) that took effect since the last run.',
  async run({ kernel, brands, log }) {
    const now = Date.now();
    const byId = new Map(brands.map((b) => [b.id, b.slug]));
    if (byId.size === 0) return { effective: [] };
    const rows = (await kernel.db('consent_documents').whereIn('brand_id', [...byId.keys()]).whereNull('effective_reported_at')
      .andWhere('effective_at', '<=', now).orderBy('effective_at').orderBy('id')
      .select('id', 'brand_id', 'kind', 'language', 'version', 'material', 'effective_at')) as { id: number; brand_id: number; kind: string; language: string; version: string; material: number | boolean; effective_at: number }[];
    if (rows.length) await kernel.db('consent_documents').whereIn('id', rows.map((r) => r.id)).update({ effective_reported_at: now });
    const effective = rows.map((r) => ({
      id: Number(r.id), brand: byId.get(Number(r.brand_id))!, kind: r.kind, language: r.language, version: r.version,
      material: Boolean(r.material), effectiveAt: new Date(Number(r.effective_at)).toISOString(),
    }));
    for (const e of effective) log.info({ brand: e.brand, kind: e.kind, language: e.language, version: e.version, material: e.material }, 'policy version in effect');
    return { effective };
  },
};
