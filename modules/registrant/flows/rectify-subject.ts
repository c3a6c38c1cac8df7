/**
 * A rights-module rectification (MS-8e) at the registrar: the same path as the ClientEdit / ContactEdit bindings —
 * the corrected details go into each domain's stored params (applyClientChanges / applyContactChanges) and the
 * contacts are re-sent through the outbox where what the registry receives changed. Data that fails registry
 * validation, and a subject whose processing is restricted (SP-5.1), are reported, not thrown.
 */
import type { Knex } from 'knex';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { RectifyOutcome } from '../../../core/modules/define-module';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { applyClientChanges, applyContactChanges, type DetailChanges } from '../contacts/apply-changes';
import { moduleSettings } from '../../../core/profile/module-settings';
import { RegistrantSettings } from '../settings';
import { domainsOfSubject } from '../store/domain-store';
import { SAVE_CONTACTS } from '../transfer/enqueue-contacts';
import { registrarTransferRegistered } from '../transfer/registrar-transfer';
import { rectifyDomains } from './rectify-domains';

const DETAIL_FIELDS = ['firstname', 'lastname', 'companyname', 'email', 'address1', 'address2', 'city', 'state', 'postcode', 'country', 'phonenumber'] as const;

/** What the registrant did: fields stored, outbox ids queued, and per domain id whether it was sent, unchanged or not sent (and why). */
export interface RegistrantRectifyOutcome extends RectifyOutcome { domains: { queued: number[]; unchanged: number[]; invalid: number[] }; notSent: string[] }

const nothing = (): RegistrantRectifyOutcome => ({ updated: [], propagated: [], domains: { queued: [], unchanged: [], invalid: [] }, notSent: [] });

/** The subject's current email in the inventory (read in `trx`, before the inventory takes the correction). */
async function inventoryEmail(kernel: Kernel, trx: Knex.Transaction, subjectId: number): Promise<string | undefined> {
  const r = (await trx('subject_fields').where({ subject_id: subjectId, field: 'email' }).first('value_enc')) as { value_enc: string } | undefined;
  return r ? kernel.keyring.decryptSync(r.value_enc) : undefined;
}

/** Applies `changes` to the domains of a client (or those a contact is the admin contact of) and queues the new contacts. */
export async function rectifySubjectContacts(kernel: Kernel, trx: Knex.Transaction, subjectId: number, changes: Record<string, string>, brand: Brand, profile: PrivacyProfile): Promise<RegistrantRectifyOutcome> {
  if (!registrarTransferRegistered(profile)) return nothing();
  const detail = Object.fromEntries(DETAIL_FIELDS.filter((k) => changes[k] !== undefined).map((k) => [k, changes[k]])) as DetailChanges;
  const s = await kernel.subjects.get(subjectId, trx);
  if (!Object.keys(detail).length || s.kind === 'payer' || s.brandId !== brand.id) return nothing();
  let owner = subjectId;
  let change = (p: Record<string, unknown>): Record<string, unknown> | undefined => applyClientChanges(p, detail);
  if (s.kind === 'contact') {
    const oldEmail = await inventoryEmail(kernel, trx, subjectId);
    if (s.parentId === null || !oldEmail) return nothing();
    owner = s.parentId;
    change = (p) => applyContactChanges(p, oldEmail, detail);
  }
  const held = await domainsOfSubject(trx, brand.id, owner);
  if (!held.length) return nothing();
  const allowed = await kernel.subjects.processingAllowed(owner, 'domain-registration', trx) && await kernel.subjects.processingAllowed(subjectId, 'domain-registration', trx);
  if (!allowed) {
    kernel.log.info({ subjectId, domains: held.length }, 'rectified contacts not sent to the registrar: processing is restricted');
    return { ...nothing(), notSent: [`${held.length} domain(s): processing of the subject is restricted (SP-5.1); rectify again once the restriction is lifted`] };
  }
  const report = await rectifyDomains(kernel, trx, profile, moduleSettings(RegistrantSettings, profile, 'registrant'), brand.id, owner, change);
  const propagated: string[] = [];
  for (const domainId of report.queued) {
    const msg = (await trx('outbox').where('idempotency_key', 'like', `${SAVE_CONTACTS}:${domainId}:%`).orderBy('id', 'desc').first('id')) as { id: number } | undefined;
    if (msg) propagated.push(`outbox:${Number(msg.id)}`);
  }
  const stored = report.queued.length + report.unchanged.length > 0;
  return {
    updated: stored ? Object.keys(detail).sort() : [], propagated, domains: report,
    notSent: report.invalid.map((id) => `domain ${id}: the corrected contact fails registry validation; not sent`),
  };
}
