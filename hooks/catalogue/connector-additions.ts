/**
 * What the WHMCS connector (connectors/whmcs, the hook file) adds to a hook's variables because WHMCS does not pass it
 * but a promise needs it. The names are the contract with the PHP hook file.
 */
import { z } from 'zod';
import { added } from './hook-spec';
import { policyVersion, wBool, wInt } from './whmcs-types';

const FORM = 'the registration or checkout form post';

/** Terms acceptance (MS-2 / SP-3): the form's terms checkbox. true = ticked, false = shown and not ticked. */
export const accepttos = added(wBool.optional(), `${FORM}: accepttos=on → true, absent → false; left out where no such form was posted (admin area, API)`);
/** The marketing choice of the form (MS-2, ESM-9). */
export const marketingOptIn = added(wBool.optional(), `${FORM}: marketingoptin=1 → true, absent → false`);
/** The versions the page showed (MS-2 / SP-3): hidden inputs the connector's output hooks add to the forms. */
export const termsVersionShown = added(policyVersion, `${FORM}: the hidden input privacysuite_terms_version the connector renders beside the terms checkbox`);
export const privacyVersionShown = added(policyVersion, `${FORM}: the hidden input privacysuite_privacy_version the connector renders beside the marketing choice`);
/** Date of birth for the minimum-age check (WSM-22): only where the shop's form has such a field. */
export const dateOfBirth = added(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.format.date').optional(),
  `${FORM}: the field date_of_birth (YYYY-MM-DD), where the shop's form has one; left out otherwise`);
/** The logged-in client of a client-area page: absent means no one is logged in (a new registration). */
export const sessionClient = added(wInt.optional(), "WHMCS's session: the logged-in client ($_SESSION['uid']); left out when no one is logged in (a new registration)");

/** The form additions shared by registration and checkout. */
export const formAdditions = {
  accepttos, marketing_emails_opt_in: marketingOptIn, terms_version_shown: termsVersionShown, privacy_version_shown: privacyVersionShown,
};

/** An offset-less WHMCS time is read as UTC (a few hours either way do not matter to a period counted in days). */
const epochMs = (s: string): number => Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(s) ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}Z`);
/** WHMCS's "no date": '', null, and its zero dates. */
const noDate = (v: unknown): unknown => (v === '' || v === null || (typeof v === 'string' && v.startsWith('0000-00-00')) ? undefined : v);
/** A WHMCS date (YYYY-MM-DD), as epoch ms at 00:00 UTC. */
const wDate = z.preprocess(noDate, z.string({ invalid_type_error: 'validation.type.string' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.format.date')
  .refine((d) => !Number.isNaN(epochMs(`${d} 00:00:00`)), 'validation.format.date').transform((d) => epochMs(`${d} 00:00:00`)).optional());
/** A WHMCS date and time (YYYY-MM-DD HH:MM:SS, or ISO 8601 with an offset), as epoch ms. */
const wDateTime = z.preprocess(noDate, z.string({ invalid_type_error: 'validation.type.string' })
  .regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})?$/, 'validation.format.dateTime')
  .refine((d) => !Number.isNaN(epochMs(d)), 'validation.format.dateTime').transform(epochMs).optional());

/** The paid invoice's client and payment time (MS-9: invoice-paid retention rules); WHMCS passes only the invoice id and object. */
export const invoiceClient = added(wInt.optional(), 'the invoice: tblinvoices.userid of invoiceid');
export const invoicePaidAt = added(wDateTime, "the invoice: tblinvoices.datepaid of invoiceid, in ISO 8601 with the server's UTC offset");
/** When a cancelled service ends and whether others still run (MS-9: service-ended retention rules). */
export const serviceNextDue = added(wDate, 'the service: tblhosting.nextduedate of relid (YYYY-MM-DD); left out when it has none (free, one-time)');
export const servicesRunning = added(wInt.optional(),
  "the client's other services (tblhosting of userid, not relid) that are Pending, Active or Suspended and have no cancellation request (tblcancelrequests)");
