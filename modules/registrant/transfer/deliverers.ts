/** Outbox deliverers: hand queued contacts to the brand's registrar module; a refusal or no registrar throws, so the outbox retries. */
import type { OutboxDeliverer } from '../../../core/modules/define-module';
import type { ContactRole, DomainContacts, RegistrarResult } from '../../registrars/contract';
import { ID_PROTECT, REGISTER_CONTACTS, SAVE_CONTACTS } from './enqueue-contacts';
import { registrarFor } from './registrar-lookup';

const ROLES: ContactRole[] = ['registrant', 'admin', 'tech', 'billing'];

function contactsOf(payload: Record<string, unknown>): DomainContacts {
  const out: DomainContacts = {};
  for (const r of ROLES) if (payload[r]) out[r] = payload[r] as DomainContacts[ContactRole];
  return out;
}

function check(r: RegistrarResult): void {
  if (!r.ok) throw new Error(`registrar refused: ${r.error.code}${r.error.registryCode ? ` (registry ${r.error.registryCode})` : ''}${r.error.retryable ? '' : ', not retryable'}`);
}

/** 'registrant.save-contacts': saveContactDetails at the registrar, with the outbox key as request id. */
export const deliverSaveContacts: OutboxDeliverer = async (msg, kernel) => {
  const registrar = await registrarFor(kernel, await kernel.brands.getById(msg.brandId));
  check(await registrar.saveContactDetails({ domain: String(msg.payload.domain), contacts: contactsOf(msg.payload), requestId: msg.idempotencyKey }));
};

/** 'registrant.id-protect': idProtectToggle with the contacts to publish. */
export const deliverIdProtect: OutboxDeliverer = async (msg, kernel) => {
  const registrar = await registrarFor(kernel, await kernel.brands.getById(msg.brandId));
  check(await registrar.idProtectToggle({ domain: String(msg.payload.domain), enabled: msg.payload.enabled === true, contacts: contactsOf(msg.payload), requestId: msg.idempotencyKey }));
};

/** 'registrant.register-contacts': the contacts of a domain being registered, created at the registry ahead of the domain. */
export const deliverRegisterContacts: OutboxDeliverer = async (msg, kernel) => {
  const registrar = await registrarFor(kernel, await kernel.brands.getById(msg.brandId));
  if (!registrar.createContacts) throw new Error(`registrar ${registrar.name} creates no contact objects; the contacts go with its registerDomain`);
  check(await registrar.createContacts({ contacts: contactsOf(msg.payload), requestId: msg.idempotencyKey }));
};

/** Topic → deliverer, for the module's `outbox` map. */
export const registrantOutbox: Record<string, OutboxDeliverer> = { [SAVE_CONTACTS]: deliverSaveContacts, [ID_PROTECT]: deliverIdProtect, [REGISTER_CONTACTS]: deliverRegisterContacts };
