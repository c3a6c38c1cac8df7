/** Shopping cart, invoice and service hooks. */
import { z } from 'zod';
import { whmcsHook, added } from './hook-spec';
import { contactFields, wArray, wFloat, wInt, wStr } from './whmcs-types';
import { dateOfBirth, formAdditions, invoiceClient, invoicePaidAt, serviceNextDue, servicesRunning, sessionClient } from './connector-additions';

// WHMCS documents no postcode for the checkout hook.
const { postcode: _postcode, ...checkoutContact } = contactFields;
void _postcode;

export const orderHooks = {
  ShoppingCartValidateCheckout: whmcsHook({
    kind: 'pre', answer: 'errors', group: 'shopping-cart',
    description: 'Checkout is being validated; answer validation errors to refuse it. Terms acceptance must be reported by the connector (accepttos): a checkout without it is refused as "not reported", apart from "not accepted".',
    whmcs: {
      a: wStr.optional(), submit: z.unknown().optional(), promocode: wStr.optional(), notes: wStr.optional(), paymentmethod: wStr.optional(),
      ccinfo: z.unknown().optional(), cctype: z.unknown().optional(), ccnumber: z.unknown().optional(), ccexpirymonth: z.unknown().optional(), ccexpiryyear: z.unknown().optional(), cccvv: z.unknown().optional(),
      custtype: wStr.optional(), clientId: wInt.optional(), loginemail: z.unknown().optional(), loginpassword: z.unknown().optional(),
      ...checkoutContact,
      password: z.unknown().optional(), password2: z.unknown().optional(), securityqid: z.unknown().optional(), securityqans: z.unknown().optional(), customfield: z.unknown().optional(),
    },
    connector: { userid: sessionClient, ...formAdditions, date_of_birth: dateOfBirth },
  }),
  AfterShoppingCartCheckout: whmcsHook({
    kind: 'after', answer: 'none', group: 'shopping-cart',
    description: 'An order was placed. Consents, and the order for cart-abandoned retention rules (MS-9), are recorded only when the connector reports the order\'s client (userid); without it nothing is recorded and the answer says so.',
    whmcs: {
      OrderID: wInt, OrderNumber: z.union([wInt, wStr]).optional(), ServiceIDs: wArray.optional(), AddonIDs: wArray.optional(), DomainIDs: wArray.optional(),
      RenewalIDs: wArray.optional(), PaymentMethod: wStr.optional(), InvoiceID: wInt.optional(), TotalDue: wFloat.optional(),
    },
    connector: {
      userid: added(wInt.optional(), "the order: tblorders.userid of OrderID (localAPI GetOrders)"),
      ...formAdditions,
    },
  }),
  InvoiceCreated: whmcsHook({
    kind: 'after', answer: 'none', group: 'invoices-and-quotes', description: 'An invoice was created. No default binding: no promise needs an unpaid invoice (retention counts from payment, InvoicePaid); the suite\'s own panel (modules/platform) fires it about its own invoices, and the WHMCS connector does not forward it.',
    whmcs: { source: wStr.optional(), user: z.unknown().optional(), invoiceid: wInt, status: wStr.optional() },
  }),
  InvoicePaid: whmcsHook({
    kind: 'after', answer: 'none', group: 'invoices-and-quotes',
    description: 'An invoice was paid in full: recorded as the client\'s invoice-paid event (MS-9), from which invoice-paid and last-activity retention rules count. The client and payment time come from the connector (userid, datepaid), else from the invoice object the suite\'s own panel sends; WHMCS\'s invoice object is not forwarded (billing data the suite does not need).',
    whmcs: { invoiceid: wInt, invoice: z.unknown().optional() },
    connector: { userid: invoiceClient, datepaid: invoicePaidAt },
  }),
  CancellationRequest: whmcsHook({
    kind: 'after', answer: 'none', group: 'service',
    description: 'A client asked to cancel a service. When the connector reports no other service running (services_running 0), the end of the client\'s last service is recorded as its service-ended event (MS-9): now for an Immediate cancellation, the next due date (nextduedate) for one at the End of Billing Period (now when the service has none). The reason is not stored. The suite\'s own panel answers service-ended from its services table.',
    whmcs: { userid: wInt, relid: wInt, reason: wStr.optional(), type: wStr.optional() },
    connector: { nextduedate: serviceNextDue, services_running: servicesRunning },
  }),
};
