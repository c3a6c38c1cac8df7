/** Client and contact hooks (WHMCS group "client" and "contact"). */
import { z } from 'zod';
import { added, whmcsHook } from './hook-spec';
import { contactFields, wArray, wBool, wFloat, wInt, wStr } from './whmcs-types';
import { dateOfBirth, formAdditions, sessionClient } from './connector-additions';

const emailPreferences = z.object({
  affiliate: wBool.optional(), domain: wBool.optional(), general: wBool.optional(),
  invoices: wBool.optional(), product: wBool.optional(), support: wBool.optional(),
}).partial();

/** Account switches WHMCS sends with ClientAdd and ClientEdit. */
const accountSwitches = {
  taxexempt: wBool.optional(), latefeeoveride: wBool.optional(), overideduenotices: wBool.optional(), separateinvoices: wBool.optional(),
  disableautocc: wBool.optional(), emailoptout: wBool.optional(), marketing_emails_opt_in: wBool.optional(), overrideautoclose: wBool.optional(),
  notes: wStr.optional(), groupid: wInt.optional(),
};

// WHMCS documents no tax_id for ClientEdit: the connector adds it (below) so a corrected tax id reaches the inventory.
const { tax_id: _taxId, ...clientEditContact } = contactFields;
void _taxId;

const contactEmails = {
  generalemails: wBool.optional(), productemails: wBool.optional(), domainemails: wBool.optional(),
  invoiceemails: wBool.optional(), supportemails: wBool.optional(), affiliateemails: wBool.optional(),
};

export const clientHooks = {
  ClientAdd: (() => {
    const spec = whmcsHook({
      kind: 'after', answer: 'none', group: 'client', description: 'A client account was created (carries the plain password, which is dropped at the edge).',
      whmcs: {
        client_id: wInt.optional(), user_id: wInt.optional(), userid: wInt.optional(),
        ...contactFields,
        password: z.unknown().optional(),
        customFields: wArray.optional(),
        ...accountSwitches,
      },
      connector: {
        language: added(wStr.optional(), "the client record: tblclients.language of the new client (WHMCS's documentation of ClientAdd leaves it out); the suite writes to the customer in it"),
        accepttos: formAdditions.accepttos, terms_version_shown: formAdditions.terms_version_shown, privacy_version_shown: formAdditions.privacy_version_shown,
      },
    });
    return { ...spec, vars: spec.vars.refine((v) => v.client_id !== undefined || v.userid !== undefined, { message: 'validation.hooks.clientIdRequired', path: ['client_id'] }) };
  })(),
  ClientEdit: whmcsHook({
    kind: 'after', answer: 'none', group: 'client', description: 'A client profile was changed.',
    whmcs: {
      userid: wInt, uuid: wStr.optional(), ...clientEditContact,
      currency: wInt.optional(), status: wStr.optional(), language: wStr.optional(), ...accountSwitches,
      billingcid: wInt.optional(), allow_sso: wBool.optional(), olddata: wArray.optional(),
      // Two-factor settings: accepted as WHMCS sends them, never stored (no field of the inventory).
      authmodule: z.unknown().optional(), authdata: z.unknown().optional(),
      email_verified: wBool.optional(), isOptedInToMarketingEmails: wBool.optional(), email_preferences: emailPreferences.optional(),
    },
    connector: {
      tax_id: added(wStr.optional(), "the client record: tblclients.tax_id of userid (WHMCS's documentation of ClientEdit leaves it out)"),
      accepttos: formAdditions.accepttos, terms_version_shown: formAdditions.terms_version_shown, privacy_version_shown: formAdditions.privacy_version_shown },
  }),
  ClientClose: whmcsHook({ kind: 'after', answer: 'none', group: 'client', description: 'A client account was closed.', whmcs: { userid: wInt } }),
  PreDeleteClient: whmcsHook({
    kind: 'pre', answer: 'none', group: 'client',
    description: 'A client is about to be deleted (WHMCS\'s Data Retention pruning fires it too): the suite keeps statutory copies of the client\'s invoices and erases the client first.',
    whmcs: { userid: wInt },
    connector: {
      invoices: added(z.array(z.object({
        id: wInt, date: z.string().regex(/^\d{4}-\d{2}-\d{2}/, 'validation.format.date'), total: wFloat, status: wStr.optional(), datepaid: wStr.optional(),
      })).max(100_000).optional(), "the client's invoices (tblinvoices: id, date, total, status, datepaid), read before WHMCS deletes them; the suite keeps their statutory copies"),
    },
  }),
  ClientDetailsValidation: whmcsHook({
    kind: 'pre', answer: 'errors', group: 'client',
    description: 'Client details are being validated; answer validation errors to refuse. Without userid it is a registration (terms where reported, age), with userid an existing client\'s edit (age only).',
    whmcs: { ...contactFields, paymentmethod: wStr.optional(), customfield: z.unknown().optional(), securityqid: z.unknown().optional(), securityqans: z.unknown().optional() },
    connector: { userid: sessionClient, ...formAdditions, date_of_birth: dateOfBirth },
  }),
  ContactDetailsValidation: whmcsHook({
    kind: 'pre', answer: 'errors', group: 'contact',
    description: 'A contact form is being validated (WHMCS passes the posted variables); answer validation errors to refuse (minimum age where a date of birth is posted).',
    // WHMCS documents "the POSTed variables" of the contact form: its contact fields and email switches.
    whmcs: { contactid: wInt.optional(), ...contactFields, ...contactEmails, subaccount: wBool.optional(), permissions: z.unknown().optional() },
    connector: { userid: sessionClient, date_of_birth: dateOfBirth },
  }),
  ContactAdd: whmcsHook({
    kind: 'after', answer: 'none', group: 'contact', description: 'A contact was added to a client.',
    whmcs: { userid: wInt, contactid: wInt, ...contactFields, ...contactEmails },
  }),
  ContactEdit: whmcsHook({
    kind: 'after', answer: 'none', group: 'contact', description: 'A contact was changed.',
    whmcs: { userid: wInt, contactid: wInt, ...contactFields, olddata: wArray.optional(), ...contactEmails },
  }),
  ContactDelete: whmcsHook({ kind: 'after', answer: 'none', group: 'contact', description: 'A contact was deleted.', whmcs: { userid: wInt, contactid: wInt } }),
};
