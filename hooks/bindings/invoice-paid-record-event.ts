/** Record the client's invoice-paid event, from which invoice-paid and last-activity retention rules count (MS-9). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'invoice-paid-record-event',
  hook: 'InvoicePaid',
  module: 'inventory',
  action: 'recordInvoicePaid',
  priority: 10,
  enabledByDefault: true,
  description: "Record when the client last paid an invoice (the invoice-paid event), from which invoice-paid and last-activity retention rules count (MS-9). The payment time only: nothing of the invoice is stored.",
});
