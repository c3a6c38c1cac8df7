/**
 * Partner exports (WSM-13): the brand's subjects who may be shared with a co-marketing partner — consent given where
 * the purpose needs it, not restricted, not erased — with only the fields the allow-list lets pass. Built in batches;
 * every batch is written to the disclosure log (one entry per subject) before it leaves the process.
 */
import { z } from 'zod';
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import { DataCategory, PurposeCode, type PrivacyProfile, type Recipient } from '../../../core/profile/schema';
import { recordDisclosure } from '../../../core/registers/disclosure-log';
import { requirePurpose, requireTransfer } from '../../../core/registers/processing-register';
import type { ConsentService } from '../../consent/public';
import type { RightsSettings } from '../settings';
import { actorString } from '../requests/request-store';
import { fieldPasses, NEVER_TO_PARTNERS, partnerAllowList } from './partner-allow-list';

/** POST /partner-exports: to which registered partner, for which of its purposes, optionally fewer categories, as JSON or CSV. */
export const PartnerExportInput = z.object({
  recipient: z.string().trim().min(1).max(64),
  purpose: PurposeCode,
  categories: z.array(DataCategory).min(1).max(8).optional().superRefine((a, ctx) => {
    (a ?? []).forEach((c, i) => {
      if (NEVER_TO_PARTNERS.includes(c)) ctx.addIssue({ code: 'custom', path: [i], message: 'validation.rights.neverToPartner', params: { category: c } });
    });
  }),
  format: z.enum(['json', 'csv']).default('json'),
}).strict();
export type PartnerExportInput = z.infer<typeof PartnerExportInput>;

/** A checked export, ready to run: the registered recipient and purpose, and the fields that pass. */
export interface PartnerExportPlan {
  brand: Brand; profile: PrivacyProfile; recipient: Recipient; purpose: string; requiresConsent: boolean;
  categories: DataCategory[]; dropped: DataCategory[]; fields: string[]; format: 'json' | 'csv';
}

/** Rows a batch holds: field name → value, one per subject. */
export type PartnerRow = Record<string, string>;

const BATCH = 500;

/** Checks recipient, purpose and allow-list, and finds the field names that will be exported (refuses before anything is written). */
export async function planPartnerExport(kernel: Kernel, brand: Brand, input: PartnerExportInput): Promise<PartnerExportPlan> {
  const profile = await kernel.brands.profile(brand);
  const known = profile.recipients.find((r) => r.code === input.recipient);
  if (!known) throw new SuiteError('SUITE_RECIPIENT_UNKNOWN', { recipient: input.recipient });
  if (known.kind !== 'partner') throw new SuiteError('SUITE_RIGHTS_RECIPIENT_KIND', { recipient: known.code, kind: known.kind, what: 'partner exports', needed: 'partner' });
  const recipient = requireTransfer(profile, input.recipient, input.purpose);
  const purpose = requirePurpose(profile, input.purpose);
  const settings = await kernel.settings<RightsSettings>('rights', brand);
  const { categories, dropped } = partnerAllowList(settings.partnerCategories, recipient.categories, input.categories);
  if (!categories.length) {
    const detail = `partner categories: ${settings.partnerCategories.join(', ') || '-'}; recipient: ${recipient.categories.join(', ') || '-'}; requested: ${input.categories?.join(', ') ?? 'all'}`;
    throw new SuiteError('SUITE_RIGHTS_NOTHING_TO_EXPORT', { recipient: recipient.code, detail });
  }
  const stored = (await kernel.db('subject_fields').join('subjects', 'subjects.id', 'subject_fields.subject_id')
    .where('subjects.brand_id', brand.id).whereIn('subject_fields.category', categories)
    .distinct('subject_fields.field as field', 'subject_fields.category as category')) as { field: string; category: DataCategory }[];
  const fields = [...new Set(stored.filter((f) => fieldPasses(f.field, f.category, categories)).map((f) => f.field))].sort();
  return { brand, profile, recipient, purpose: purpose.code, requiresConsent: purpose.requiresConsent || purpose.legalBasis === 'consent', categories, dropped, fields, format: input.format };
}

/** Records the export (no values) and audits its start; returns its id. */
export async function startPartnerExport(kernel: Kernel, plan: PartnerExportPlan, actor: Actor, ip?: string): Promise<number> {
  return kernel.db.transaction(async (trx) => {
    const [id] = await trx('rights_partner_exports').insert({
      brand_id: plan.brand.id, recipient: plan.recipient.code, purpose: plan.purpose, categories: JSON.stringify(plan.categories), fields: JSON.stringify(plan.fields),
      format: plan.format, state: 'running', actor: actorString(actor), created_at: Date.now(),
    });
    await kernel.audit.record({
      brandId: plan.brand.id, actor, action: 'rights.partner-export.started', targetType: 'rights_partner_export', targetId: Number(id),
      details: { recipient: plan.recipient.code, purpose: plan.purpose, categories: plan.categories, dropped: plan.dropped, fields: plan.fields }, ip,
    }, trx);
    return Number(id);
  });
}

/** Whether a subject may go to the partner: processing not restricted for the purpose, and consent where the purpose needs it. */
async function eligible(kernel: Kernel, plan: PartnerExportPlan, ids: number[]): Promise<number[]> {
  const allowed: number[] = [];
  for (const id of ids) if (await kernel.subjects.processingAllowed(id, plan.purpose)) allowed.push(id);
  const consent = kernel.service<ConsentService>('consent');
  await kernel.keyring.activeKeyId();
  return kernel.db.transaction(async (trx) => {
    const out: number[] = [];
    for (const id of allowed) {
      const d = await consent.marketingDecision(plan.brand, id, 'email', { trx, profile: plan.profile });
      if (plan.requiresConsent ? d.reason === 'consent' : d.allowed) out.push(id);
    }
    return out;
  });
}

/** The export's rows, batch by batch; each batch is in the disclosure log before it is yielded. Counts go to `tally`. */
export async function* partnerBatches(kernel: Kernel, plan: PartnerExportPlan, exportId: number, actor: Actor, tally: { subjects: number; skipped: number }): AsyncGenerator<PartnerRow[]> {
  let after = 0;
  for (;;) {
    const batch = ((await kernel.db('subjects').where({ brand_id: plan.brand.id }).andWhere('id', '>', after).whereNotIn('status', ['erased', 'restricted'])
      .orderBy('id').limit(BATCH).select('id')) as { id: number }[]).map((r) => Number(r.id));
    if (!batch.length) return;
    after = batch[batch.length - 1];
    const ids = plan.fields.length ? await eligible(kernel, plan, batch) : [];
    const values = ids.length
      ? ((await kernel.db('subject_fields').whereIn('subject_id', ids).whereIn('field', plan.fields).select('subject_id', 'field', 'category', 'value_enc')) as { subject_id: number; field: string; category: DataCategory; value_enc: string }[])
      : [];
    const rows = new Map<number, { row: PartnerRow; categories: Set<DataCategory> }>();
    for (const v of values) {
      if (!fieldPasses(v.field, v.category, plan.categories)) continue;
      const id = Number(v.subject_id);
      const entry = rows.get(id) ?? { row: {}, categories: new Set<DataCategory>() };
      entry.row[v.field] = await kernel.keyring.decrypt(v.value_enc);
      entry.categories.add(v.category);
      rows.set(id, entry);
    }
    tally.skipped += batch.length - rows.size;
    if (!rows.size) continue;
    await kernel.db.transaction(async (trx) => {
      for (const [subjectId, { row, categories }] of rows) {
        await recordDisclosure(trx, plan.profile, {
          brandId: plan.brand.id, subjectId, recipient: plan.recipient.code, purpose: plan.purpose, categories: [...categories], fields: Object.keys(row),
          reference: `partner-export:${exportId}`, actor: actorString(actor),
        });
      }
    });
    tally.subjects += rows.size;
    yield [...rows.values()].map((r) => r.row);
  }
}

/** Closes the export row and audits the outcome (counts only). */
export async function finishPartnerExport(kernel: Kernel, plan: PartnerExportPlan, exportId: number, state: 'done' | 'failed', tally: { subjects: number; skipped: number }, actor: Actor): Promise<void> {
  await kernel.db.transaction(async (trx) => {
    await trx('rights_partner_exports').where({ id: exportId }).update({ state, subjects: tally.subjects, skipped: tally.skipped, finished_at: Date.now() });
    await kernel.audit.record({
      brandId: plan.brand.id, actor, action: `rights.partner-export.${state}`, targetType: 'rights_partner_export', targetId: exportId,
      details: { recipient: plan.recipient.code, subjects: tally.subjects, skipped: tally.skipped },
    }, trx);
  });
}
