/**
 * The suite's erasures and rectifications of people who live in WHMCS (subjects of kind client or contact whose
 * external id is the WHMCS id), queued for WHMCS's API through the outbox in the erasure's or rectification's own
 * transaction: retried until WHMCS answers, each logged as a disclosure to the brand's WHMCS recipient.
 */
import type { Knex } from 'knex';
import type { Brand } from '../../core/brands/brand';
import type { Kernel } from '../../core/kernel';
import type { EraseOutcome, RectifyOutcome } from '../../core/modules/define-module';
import type { EraseMany } from '../../core/modules/erase-one';
import { moduleSettings } from '../../core/profile/module-settings';
import type { PrivacyProfile } from '../../core/profile/schema';
import { requireTransfer } from '../../core/registers/processing-register';
import { erasedRecord } from './placeholder';
import { WhmcsSettings, writesBack } from './settings';

export const ERASE_CLIENT = 'whmcs.erase-client';
export const ERASE_CONTACT = 'whmcs.erase-contact';
export const RECTIFY = 'whmcs.rectify';

/** The fields WHMCS's UpdateClient / UpdateContact take under the suite's names. */
export const WHMCS_FIELDS = ['firstname', 'lastname', 'companyname', 'email', 'address1', 'address2', 'city', 'state', 'postcode', 'country', 'phonenumber'] as const;

/**
 * What an erased client leaves in WHMCS, and why (the rights module words the reason): invoices by law; what WHMCS's
 * API cannot change; and what only the connector addon reaches, should it not answer when the erasure is delivered.
 */
const KEPT = [
  'invoices in WHMCS (statutory accounting records: the client is anonymised and closed there, never deleted)',
  "in WHMCS, the name and e-mail address stored with a ticket reply written without a client login (WHMCS's API changes a reply's message only: the message is anonymised)",
  "in WHMCS, the email log and the IP addresses of the marketing opt-in history if the connector addon is not installed or refuses when the erasure is delivered (WHMCS's API cannot reach them; the module log names the reason)",
];

/** The brand's settings when it writes back, and why not otherwise (a sentence for the erasure's answer). */
function target(profile: PrivacyProfile | undefined): { settings: WhmcsSettings } | { notSent: string } | null {
  if (!profile) return null;
  const settings = moduleSettings(WhmcsSettings, profile, 'whmcs');
  if (!writesBack(settings)) return null;
  try {
    requireTransfer(profile, settings.recipient, settings.purpose);
  } catch {
    return { notSent: `the record in WHMCS NOT updated: recipient "${settings.recipient}" with purpose "${settings.purpose}" is not in the brand's register` };
  }
  return { settings };
}

/** Erases one WHMCS client or contact there (queues the message); contacts' own messages give way to their client's. */
async function eraseOne(kernel: Kernel, trx: Knex.Transaction, brand: Brand, profile: PrivacyProfile, settings: WhmcsSettings, subjectId: number): Promise<EraseOutcome> {
  const s = await kernel.subjects.get(subjectId, trx);
  if (s.brandId !== brand.id || (s.kind !== 'client' && s.kind !== 'contact') || !/^\d+$/.test(s.externalId)) return { erased: 0, kept: [] };
  const id = Number(s.externalId);
  const base = { brandId: brand.id, recipient: settings.recipient, purpose: settings.purpose, subjectId, categories: ['contact' as const] };
  if (s.kind === 'contact') {
    // A batch may erase the client before its contact: the client's message already anonymises every contact.
    if (s.parentId !== null && (await trx('outbox').where({ brand_id: brand.id, topic: ERASE_CLIENT, subject_id: s.parentId, state: 'pending' }).first('id'))) return { erased: 0, kept: [] };
    const { id: outboxId } = await kernel.outbox.enqueue(trx, profile, { ...base, topic: ERASE_CONTACT, payload: { contactid: id, ...erasedRecord(kernel, brand.id, 'contact', id) }, idempotencyKey: `${ERASE_CONTACT}:${brand.id}:${id}` });
    return { erased: 0, kept: [], queued: [outboxId] };
  }
  // The client's message anonymises all its contacts: their own messages, queued a moment ago in this erasure, go.
  const children = (await trx('subjects').where({ parent_id: subjectId, kind: 'contact' }).pluck('id')) as number[];
  if (children.length) await trx('outbox').where({ brand_id: brand.id, topic: ERASE_CONTACT, state: 'pending', attempts: 0 }).whereIn('subject_id', children).delete();
  const { id: outboxId } = await kernel.outbox.enqueue(trx, profile, {
    ...base, topic: ERASE_CLIENT, payload: { clientid: id, ...erasedRecord(kernel, brand.id, 'client', id), marketingoptin: false }, idempotencyKey: `${ERASE_CLIENT}:${brand.id}:${id}`,
  });
  return { erased: 0, kept: [...KEPT], queued: [outboxId] };
}

/** `eraseMany` (and so `erase`): a message per WHMCS client (its contacts and users with it) or contact erased on its own. */
export const whmcsEraseMany: EraseMany = async (subjectIds, { kernel, trx, brand, profile }) => {
  const out = new Map<number, EraseOutcome>();
  const t = target(profile);
  for (const id of subjectIds) {
    if (!t) out.set(id, { erased: 0, kept: [] });
    else if ('notSent' in t) out.set(id, { erased: 0, kept: [t.notSent] });
    else out.set(id, await eraseOne(kernel, trx, brand, profile!, t.settings, id));
  }
  return out;
};

/** A rectification of a WHMCS client or contact: UpdateClient / UpdateContact with the corrected fields, queued. */
export async function whmcsRectify(kernel: Kernel, trx: Knex.Transaction, subjectId: number, changes: Record<string, string>, brand: Brand, profile: PrivacyProfile): Promise<RectifyOutcome> {
  const t = target(profile);
  const fields = Object.fromEntries(WHMCS_FIELDS.filter((f) => changes[f] !== undefined).map((f) => [f, changes[f]]));
  if (!t || 'notSent' in t || !Object.keys(fields).length) return { updated: [], propagated: [] };
  const s = await kernel.subjects.get(subjectId, trx);
  if (s.brandId !== brand.id || (s.kind !== 'client' && s.kind !== 'contact') || !/^\d+$/.test(s.externalId)) return { updated: [], propagated: [] };
  const key = s.kind === 'client' ? 'clientid' : 'contactid';
  const { id } = await kernel.outbox.enqueue(trx, profile, {
    brandId: brand.id, topic: RECTIFY, recipient: t.settings.recipient, purpose: t.settings.purpose, subjectId, categories: ['contact'],
    payload: { [key]: Number(s.externalId), ...fields },
  });
  return { updated: [], propagated: [`outbox:${id}`] };
}
