/** Client and contact hooks (WHMCS group "client" and "contact"). */
import { z } from 'zod';
import { hookSpec } from './hook-spec';
import { contactFields, shownVersionFields, wArray, wBool, wInt, wStr } from './whmcs-types';

const emailPreferences = z.object({
  affiliate: wBool.optional(), domain: wBool.optional(), general: wBool.optional(),
  invoices: wBool.optional(), product: wBool.optional(), support: wBool.optional(),
}).partial();

export const clientHooks = {
  ClientAdd: hookSpec({
    kind: 'after', answer: 'none', group: 'client', description: 'A client account was created (carries the plain password, which is dropped at the edge).',
    vars: z.object({
      client_id: wInt.optional(), user_id: wInt.optional(), userid: wInt.optional(),
      ...contactFields,
      password: z.unknown().optional(),
      customFields: wArray.optional(),
      taxexempt: wBool.optional(), latefeeoveride: wBool.optional(), overideduenotices: wBool.optional(), separateinvoices: wBool.optional(),
      disableautocc: wBool.optional(), emailoptout: wBool.optional(), marketing_emails_opt_in: wBool.optional(), overrideautoclose: wBool.optional(),
      notes: wStr.optional(), groupid: wInt.optional(),
      language: wStr.optional(),
      /** Suite extension: the terms checkbox of the sign-up form, passed on by the hook file. */
      accepttos: wBool.optional(),
      ...shownVersionFields,
    }).refine((v) => v.client_id !== undefined || v.userid !== undefined, { message: 'validation.hooks.clientIdRequired', path: ['client_id'] }),
  }),
  ClientEdit: hookSpec({
    kind: 'after', answer: 'none', group: 'client', description: 'A client profile was changed.',
    vars: z.object({
      userid: wInt, uuid: wStr.optional(), ...contactFields,
      currency: wInt.optional(), notes: wStr.optional(), status: wStr.optional(), language: wStr.optional(),
      emailoptout: wBool.optional(), marketing_emails_opt_in: wBool.optional(), isOptedInToMarketingEmails: wBool.optional(),
      email_preferences: emailPreferences.optional(), olddata: wArray.optional(), email_verified: wBool.optional(),
      /** Suite extension: acceptance of the terms shown (e.g. a newer version), passed on by the hook file. */
      accepttos: wBool.optional(),
      ...shownVersionFields,
    }),
  }),
  ClientClose: hookSpec({ kind: 'after', answer: 'none', group: 'client', description: 'A client account was closed.', vars: z.object({ userid: wInt }) }),
  PreDeleteClient: hookSpec({ kind: 'pre', answer: 'none', group: 'client', description: 'A client is about to be deleted.', vars: z.object({ userid: wInt }) }),
  ClientDetailsValidation: hookSpec({
    kind: 'pre', answer: 'errors', group: 'client', description: 'Client details are being validated; answer validation errors to refuse.',
    vars: z.object({ ...contactFields, userid: wInt.optional(), paymentmethod: wStr.optional(), customfield: z.unknown().optional(),
      accepttos: wBool.optional(), marketing_emails_opt_in: wBool.optional(), emailoptout: wBool.optional(), ...shownVersionFields,
      date_of_birth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.format.date').optional(), securityqid: z.unknown().optional(), securityqans: z.unknown().optional() }),
  }),
  ContactAdd: hookSpec({
    kind: 'after', answer: 'none', group: 'contact', description: 'A contact was added to a client.',
    vars: z.object({ userid: wInt, contactid: wInt, ...contactFields, password: z.unknown().optional(),
      generalemails: wBool.optional(), productemails: wBool.optional(), domainemails: wBool.optional(), invoiceemails: wBool.optional(), supportemails: wBool.optional(), affiliateemails: wBool.optional() }),
  }),
  ContactEdit: hookSpec({
    kind: 'after', answer: 'none', group: 'contact', description: 'A contact was changed.',
    vars: z.object({ userid: wInt, contactid: wInt, ...contactFields, olddata: wArray.optional(),
      generalemails: wBool.optional(), productemails: wBool.optional(), domainemails: wBool.optional(), invoiceemails: wBool.optional(), supportemails: wBool.optional(), affiliateemails: wBool.optional() }),
  }),
  ContactDelete: hookSpec({ kind: 'after', answer: 'none', group: 'contact', description: 'A contact was deleted.', vars: z.object({ userid: wInt, contactid: wInt }) }),
};
