/** Which data category each personal field belongs to (MS-1.2, WSM-1, ESM-1). Unknown fields are not stored. */
import type { DataCategory } from '../profile/schema';

export const FIELD_CATEGORIES: Record<string, DataCategory> = {
  firstname: 'contact',
  lastname: 'contact',
  companyname: 'contact',
  email: 'contact',
  phonenumber: 'contact',
  address1: 'contact',
  address2: 'contact',
  city: 'contact',
  state: 'contact',
  postcode: 'contact',
  country: 'contact',
  language: 'contact',
  tax_id: 'billing',
  billing_address: 'billing',
  ip: 'usage',
  user_agent: 'usage',
  geolocation: 'usage',
  last_login: 'usage',
  id_document: 'identity-document',
  notes: 'correspondence',
  date_of_birth: 'identity-document',
};

/** Field names that are secrets a panel happens to send: dropped at the edge, never stored or logged. */
export const SECRET_FIELDS = new Set(['password', 'password2', 'loginpassword', 'securityqans', 'ccnumber', 'cccvv', 'ccinfo', 'ccexpirymonth', 'ccexpiryyear', 'cctype']);

/** Field names that announce health data, which the suite refuses to hold (SP-9). */
export const HEALTH_FIELD = /(health|medical|diagnos|hipaa|patient|disabilit)/i;
