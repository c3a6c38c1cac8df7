/**
 * The registrant module's erasure, of one subject or many at once (`erase(id)` is `eraseMany([id])`; the batch erasure
 * the retention sweep uses passes many): one query finds which of them hold domains; only those have anything erased,
 * each on its own (its contacts are replaced at the registry through the outbox); the rest answer what is kept of
 * someone without domains, with no statement of their own.
 */
import type { Knex } from 'knex';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { EraseOutcome } from '../../../core/modules/define-module';
import type { EraseMany } from '../../../core/modules/erase-one';
import { moduleSettings } from '../../../core/profile/module-settings';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { erasedContacts } from '../contacts/erased-contact';
import { RegistrantSettings } from '../settings';
import { allDomainsOfSubject, contactsHash } from '../store/domain-store';
import { enqueueContacts } from '../transfer/enqueue-contacts';
import { registrarTransferRegistered } from '../transfer/registrar-transfer';

/** What the registrant module keeps of every erased subject, and why. */
export const REGISTRANT_KEPT = ['domain names and status (registry records until the domain expires)', 'consent to publish (proof, fields only)', 'reveal requests (legal claims)'];

/** Domains no longer at the registry: nothing to replace there. */
const GONE = new Set(['expired', 'deleted']);

async function lastOutboxId(trx: Knex.Transaction): Promise<number> {
  const r = (await trx('outbox').max({ m: 'id' }).first()) as { m: number | string | null } | undefined;
  return Number(r?.m ?? 0);
}

/**
 * Deletes the real contacts and the stored params of one subject's domains. Each domain still at the registry gets its
 * contacts replaced there, through the outbox (retried), by contacts that carry nothing of the subject (erasedContacts),
 * so the registry stops holding their data (MS-8f). Without the profile the registrar is not told: `kept` says so.
 */
async function eraseHolder(kernel: Kernel, trx: Knex.Transaction, subjectId: number, brand: Brand, profile: PrivacyProfile | undefined): Promise<{ erased: number; kept: string[] }> {
  const rows = await allDomainsOfSubject(trx, subjectId);
  const ids = rows.map((r) => r.id);
  const kept = [...REGISTRANT_KEPT];
  const held = rows.filter((r) => !GONE.has(r.status) && r.roles.length > 0);
  const notSent: string[] = [];
  if (held.length && !profile) notSent.push(`${held.length} domain(s): no brand profile was passed to erase`);
  else if (held.length && profile && !registrarTransferRegistered(profile)) notSent.push(`${held.length} domain(s): the brand's register has no registrar transfer`);
  else if (held.length && profile) {
    const settings = moduleSettings(RegistrantSettings, profile, 'registrant');
    for (const row of held) {
      if (row.brandId !== brand.id) { notSent.push(`domain ${row.id}: held at another brand than the one passed`); continue; }
      const contacts = erasedContacts(kernel, row.brandId, row.domain, row.roles, settings, profile.controller);
      if (!contacts) { notSent.push(`domain ${row.id}: no privacy service and no controller country/email to build an anonymised contact`); continue; }
      // subjectId null: the payload carries nothing of the subject, so it is no disclosure of their data (the register is still checked).
      await enqueueContacts(kernel, trx, profile, { brandId: row.brandId, domainId: row.id, domain: row.domain, subjectId: null, contacts });
      await trx('registrant_domains').where({ id: row.id }).update({ contacts_hash: contactsHash(contacts) });
    }
  }
  if (notSent.length) kept.push(`contacts at the registrar NOT updated (registry still holds the subject's data) for ${notSent.join('; ')}`);
  const erased = ids.length ? await trx('registrant_contacts').whereIn('domain_id', ids).delete() : 0;
  if (ids.length) await trx('registrant_domains').whereIn('id', ids).update({ params_enc: null, updated_at: Date.now() });
  return { erased, kept };
}

/** `eraseMany` (and so `erase`) for the registrant tables: the subjects that hold domains one by one, with the outbox ids each queued. */
export const registrantEraseMany: EraseMany = async (subjectIds, { kernel, trx, brand, profile }) => {
  const holders = new Set(((await trx('registrant_domains').whereIn('subject_id', subjectIds).distinct('subject_id').pluck('subject_id')) as (number | string)[]).map(Number));
  const out = new Map<number, EraseOutcome>();
  for (const id of subjectIds) {
    if (!holders.has(id)) {
      out.set(id, { erased: 0, kept: [...REGISTRANT_KEPT] });
      continue;
    }
    const mark = await lastOutboxId(trx);
    const r = await eraseHolder(kernel, trx, id, brand, profile);
    const queued = ((await trx('outbox').where('id', '>', mark).orderBy('id').pluck('id')) as (number | string)[]).map(Number);
    out.set(id, { ...r, queued });
  }
  return out;
};
