/** Marketing channels (MS-7.1, SP-1): each has its own consent purpose, address field and suppression scope. */
import { z } from 'zod';
import type { ConsentPurpose } from '../ledger/consent-event';

/** A channel promotional messages go out on. */
export const MarketingChannel = z.enum(['email', 'sms', 'phone']);
export type MarketingChannel = z.infer<typeof MarketingChannel>;

/** The ledger purpose that holds a channel's marketing consent. */
export function purposeOf(channel: MarketingChannel): ConsentPurpose {
  return `marketing:${channel}` as ConsentPurpose;
}

/** The inventory field that holds a channel's address (email for email, the phone number for SMS and calls). */
export function addressFieldOf(channel: MarketingChannel): 'email' | 'phonenumber' {
  return channel === 'email' ? 'email' : 'phonenumber';
}

/** An address normalised for hashing: emails lower-cased and trimmed, phone numbers reduced to digits (and a leading +). */
export function normaliseAddress(channel: MarketingChannel, address: string): string {
  if (channel === 'email') return address.trim().toLowerCase();
  const a = address.trim();
  return (a.startsWith('+') ? '+' : '') + a.replace(/\D/g, '');
}
