/** Shopping cart, invoice and service hooks. */
import { z } from 'zod';
import { hookSpec } from './hook-spec';
import { contactFields, shownVersionFields, wArray, wFloat, wInt, wStr, wBool } from './whmcs-types';

export const orderHooks = {
  ShoppingCartValidateCheckout: hookSpec({
    kind: 'pre', answer: 'errors', group: 'shopping-cart', description: 'Checkout is being validated; answer validation errors to refuse it.',
    vars: z.object({
      clientId: wInt.optional(), custtype: wStr.optional(), ...contactFields, paymentmethod: wStr.optional(), promocode: wStr.optional(), notes: wStr.optional(),
      accepttos: wBool.optional(), marketing_emails_opt_in: wBool.optional(), ...shownVersionFields, date_of_birth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.format.date').optional(),
      password: z.unknown().optional(), password2: z.unknown().optional(), loginpassword: z.unknown().optional(), loginemail: z.unknown().optional(),
      ccinfo: z.unknown().optional(), cctype: z.unknown().optional(), ccnumber: z.unknown().optional(), ccexpirymonth: z.unknown().optional(), ccexpiryyear: z.unknown().optional(), cccvv: z.unknown().optional(),
      securityqid: z.unknown().optional(), securityqans: z.unknown().optional(), customfield: z.unknown().optional(),
    }),
  }),
  AfterShoppingCartCheckout: hookSpec({
    kind: 'after', answer: 'none', group: 'shopping-cart', description: 'An order was placed.',
    vars: z.object({ OrderID: wInt, OrderNumber: z.union([wInt, wStr]).optional(), ServiceIDs: wArray.optional(), AddonIDs: wArray.optional(), DomainIDs: wArray.optional(), RenewalIDs: wArray.optional(), PaymentMethod: wStr.optional(), InvoiceID: wInt.optional(), TotalDue: wFloat.optional(), userid: wInt.optional(),
      // Suite extensions: the checkout form's terms and marketing checkboxes, passed on by the hook file.
      accepttos: wBool.optional(), marketing_emails_opt_in: wBool.optional(), ...shownVersionFields }),
  }),
  InvoiceCreated: hookSpec({
    kind: 'after', answer: 'none', group: 'invoices-and-quotes', description: 'An invoice was created.',
    vars: z.object({ invoiceid: wInt, source: wStr.optional(), user: z.unknown().optional(), status: wStr.optional() }),
  }),
  InvoicePaid: hookSpec({
    kind: 'after', answer: 'none', group: 'invoices-and-quotes', description: 'An invoice was paid in full.',
    vars: z.object({ invoiceid: wInt, invoice: z.unknown().optional() }),
  }),
  CancellationRequest: hookSpec({
    kind: 'after', answer: 'none', group: 'service', description: 'A client asked to cancel a service.',
    vars: z.object({ userid: wInt, relid: wInt, reason: wStr.optional(), type: wStr.optional() }),
  }),
};
