/** The anonymous values an erased client, contact, user or ticket gets in WHMCS: a unique address that can never receive mail, placeholder names and text. */
import crypto from 'node:crypto';
import type { Kernel } from '../../core/kernel';

/** Reserved by RFC 2606 (.example) and RFC 6761 (.invalid): the address is unique but nobody's. */
export const PLACEHOLDER_DOMAIN = 'invalid.example';

/** A stable, keyed hash of the record (so a re-sent step writes the same values, and nothing about the person shows). */
function tag(kernel: Kernel, brandId: number, kind: string, id: string | number): string {
  const mac = kernel.keyring.sign(`${brandId}:${kind}:${id}`, 'whmcs-erased');
  return crypto.createHash('sha256').update(mac).digest('hex').slice(0, 20);
}

/** The fields written over a client or contact (every personal field; the country stays for the invoices' tax). */
export function erasedRecord(kernel: Kernel, brandId: number, kind: 'client' | 'contact', id: string | number): Record<string, string> {
  return {
    firstname: 'Erased', lastname: kind === 'client' ? 'Client' : 'Contact', companyname: '', email: `erased-${tag(kernel, brandId, kind, id)}@${PLACEHOLDER_DOMAIN}`,
    address1: '-', address2: '', city: '-', state: '', postcode: '', phonenumber: '',
  };
}

/** The fields written over a user (login) that belonged to the erased client only. */
export function erasedUser(kernel: Kernel, brandId: number, id: string | number): Record<string, string> {
  return { firstname: 'Erased', lastname: 'User', email: `erased-${tag(kernel, brandId, 'user', id)}@${PLACEHOLDER_DOMAIN}` };
}

/** What an anonymised support ticket and each of its replies say instead (the conversation's dates and status stay). */
export const ERASED_TICKET = { subject: 'Erased', message: 'This message was erased (data protection).' } as const;

/** The name and address written over a ticket's requester (WHMCS keeps them on tickets opened without a client login). */
export function erasedRequester(kernel: Kernel, brandId: number, ticketId: string | number): { name: string; email: string } {
  return { name: 'Erased', email: `erased-${tag(kernel, brandId, 'ticket', ticketId)}@${PLACEHOLDER_DOMAIN}` };
}
