/** Disclose flags under ICANN's Registration Data Policy: personal data hidden unless the registrant consented to publish it. */
import type { DiscloseFlags } from '../../registrars/contract';

/** The fields a registrant may consent to publish. */
export const PUBLISH_FIELDS = ['name', 'org', 'addr', 'voice', 'email'] as const;
export type PublishField = (typeof PUBLISH_FIELDS)[number];

/**
 * Flags for a customer's own contact: name, address, phone, fax and email hidden, and an organisation's name too (the
 * gTLD RDAP profile removes Registrant Organization; RDAP and the registry must agree); State/Province and Country
 * stay published by the registry's policy; exactly the consented fields shown.
 */
export function ownDisclose(isOrganisation: boolean, consented: readonly PublishField[]): DiscloseFlags {
  const flags: DiscloseFlags = { name: false, addr: false, voice: false, fax: false, email: false };
  if (isOrganisation) flags.org = false;
  for (const f of consented) flags[f] = true;
  return flags;
}

/** Flags for the privacy-service contact: its own (non-personal) data and the forwarding address are published; fax never. */
export function privacyDisclose(): DiscloseFlags {
  return { name: true, org: true, addr: true, voice: true, fax: false, email: true };
}
