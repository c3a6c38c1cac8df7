/**
 * The contacts for one domain from WHMCS params: assembled (roles per TLD, privacy, consent to publish), the real
 * data stored encrypted, and — when they are handed over — the transfer written to the disclosure log.
 */
import type { Knex } from 'knex';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { assembleContacts, domainOf, type AssembledContacts } from '../contacts/assemble';
import { publishableFields } from '../consent/publish-consent';
import type { RegistrantSettings } from '../settings';
import { keepRealContacts, type ContactSection } from '../contacts/proxy-guard';
import { contactsHash, findDomain, saveDomain, storedParams } from '../store/domain-store';
import { enqueueContacts } from '../transfer/enqueue-contacts';
import { clientSubjectId } from './client-subject';
import { recordContactsDisclosure } from '../transfer/record-disclosure';

/** What to do with the params. */
export interface PrepareInput {
  kernel: Kernel; trx: Knex.Transaction; brand: Brand; profile: PrivacyProfile; settings: RegistrantSettings;
  params: Record<string, unknown>; status: string; disclose: boolean; actor: string; extra?: Record<string, unknown>;
  /** A suite registrar module serves the brand: the contacts go through the outbox (which logs the transfer) when they changed. */
  viaOutbox?: boolean;
}

/**
 * Builds, stores and (if `disclose`) logs the contacts; throws SUITE_VALIDATION_FAILED naming the params at fault. A set
 * that is the privacy (proxy) contact keeps the domain's stored real data instead (`ignored` names it: proxy-guard.ts).
 */
export async function prepareDomain(i: PrepareInput): Promise<{ assembled: AssembledContacts; domainId: number; subjectId: number | null; logged: boolean; ignored: ContactSection[] }> {
  const { kernel, trx, brand } = i;
  const known = await findDomain(trx, brand.id, domainOf(i.params));
  const { params, ignored } = keepRealContacts(i.params, known ? await storedParams(kernel, trx, known.id) : {}, i.settings.privacyService);
  const consented = await publishableFields(kernel, trx, brand.id, domainOf(params));
  const assembled = assembleContacts(params, { kernel, brandId: brand.id, settings: i.settings, consented });
  const subjectId = await clientSubjectId(kernel, trx, brand.id, params);
  const sentBefore = i.viaOutbox ? known?.contactsHash : undefined;
  const domainId = await saveDomain(kernel, trx, {
    brandId: brand.id, subjectId, clientRef: params.userid === undefined ? null : String(params.userid), status: i.status, params, assembled,
    sentHash: i.disclose ? contactsHash(assembled.send) : undefined,
  });
  if (i.extra) await trx('registrant_domains').where({ id: domainId }).update(i.extra);
  if (i.viaOutbox) {
    const queue = i.disclose && assembled.roles.length > 0 && sentBefore !== contactsHash(assembled.send);
    if (queue) await enqueueContacts(kernel, trx, i.profile, { brandId: brand.id, domainId, domain: assembled.domain, subjectId, contacts: assembled.send, register: true });
    return { assembled, domainId, subjectId, logged: queue, ignored };
  }
  const logged = i.disclose && await recordContactsDisclosure(trx, i.profile, {
    brandId: brand.id, subjectId, domain: assembled.domain, contacts: assembled.send, privacy: assembled.idProtection && !assembled.privacyFallback, actor: i.actor,
  });
  return { assembled, domainId, subjectId, logged, ignored };
}
