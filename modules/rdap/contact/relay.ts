/**
 * Relays one contact form message: queued in the outbox for the domain's contact (the registrant's address goes to the
 * registered mail relay, written to the disclosure log when the registrant is a known subject) and recorded in the
 * audit log by an outcome, the role, a keyed hash of the domain and the hash of the sender's IP — never the message,
 * the names or an address. Every outcome looks the same to the sender (no enumeration).
 */
import { SuiteError } from '../../../core/errors';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { RegistrantService } from '../../registrant/public';
import type { RdapSettings } from '../settings';
import { HONEYPOT_FIELD, type ContactForm } from './contact-form';
import { RELAY_TOPIC, type RelayPayload } from './relay-mail';

/** What became of a message (audited; the sender sees the same answer for each). */
export type RelayOutcome = 'relayed' | 'unknown-domain' | 'no-recipient' | 'restricted' | 'no-transfer' | 'honeypot';

/** The domain a message is about, as the routes resolved it: its LDH name and, when held here, the brand answering it. */
export interface ContactTarget { domain: string; brand?: Brand; settings: RdapSettings }

/** The audit action of each outcome a brand's log keeps (an unknown domain has no brand; a honeypot hit is no event). */
const ACTION: Partial<Record<RelayOutcome, string>> = {
  relayed: 'rdap.contact.relayed', 'no-recipient': 'rdap.contact.withheld', restricted: 'rdap.contact.withheld', 'no-transfer': 'rdap.contact.withheld',
};

/** A keyed hash of the domain: lets an admin who knows the name find its relays without the log naming it. */
export function domainRef(kernel: Kernel, brandId: number, domain: string): string {
  return kernel.keyring.blindIndex(`${brandId}:${domain.toLowerCase()}`, 'rdap-contact').slice(0, 24);
}

/** The registrant's subject id, once the registrant service names it (RegistrationData.subjectId); else none. */
function subjectOf(data: object): number | null {
  return 'subjectId' in data && typeof data.subjectId === 'number' ? data.subjectId : null;
}

/** Queues the message (or decides not to) and audits the outcome. */
export async function relayMessage(kernel: Kernel, target: ContactTarget, input: ContactForm, ip?: string): Promise<RelayOutcome> {
  if (input[HONEYPOT_FIELD]) return 'honeypot';
  const brand = target.brand;
  if (!brand) return 'unknown-domain';
  const data = await kernel.service<RegistrantService>('registrant').registrationData(brand.id, target.domain);
  let outcome: RelayOutcome = 'no-recipient';
  let outboxId: number | undefined;
  const audit = { brandId: brand.id, actor: { type: 'anonymous' as const, id: 'rdap-contact' }, targetType: 'rdap_contact', ip };
  const details = () => ({ outcome, role: input.role, domainRef: domainRef(kernel, brand.id, target.domain), ...(outboxId ? { outboxId } : {}) });
  if (data?.contacts[input.role]?.email) {
    const profile = await kernel.brands.profile(brand);
    const { recipient, purpose } = target.settings.contactForm;
    const payload: RelayPayload = { domain: data.domain, role: input.role, senderName: input.name, senderEmail: input.email, message: input.message };
    await kernel.keyring.activeKeyId();
    try {
      await kernel.db.transaction(async (trx) => {
        ({ id: outboxId } = await kernel.outbox.enqueue(trx, profile, {
          brandId: brand.id, topic: RELAY_TOPIC, recipient, purpose, subjectId: subjectOf(data), categories: ['contact'], payload,
        }));
        outcome = 'relayed';
        await kernel.audit.record({ ...audit, action: ACTION.relayed!, targetId: outboxId, details: details() }, trx);
      });
      return outcome;
    } catch (err) {
      if (!(err instanceof SuiteError)) throw err;
      outboxId = undefined;
      // A restricted registrant's address goes nowhere (SP-5.1); a brand without the registered transfer cannot relay.
      if (err.code === 'SUITE_SUBJECT_RESTRICTED') outcome = 'restricted';
      else if (['SUITE_RECIPIENT_UNKNOWN', 'SUITE_PURPOSE_UNKNOWN', 'SUITE_PURPOSE_NOT_ALLOWED'].includes(err.code)) outcome = 'no-transfer';
      else throw err;
      kernel.log.warn({ brandId: brand.id, code: err.code, outcome }, 'contact form message withheld');
    }
  }
  await kernel.audit.record({ ...audit, action: ACTION[outcome]!, details: details() });
  return outcome;
}
