/** Record that WHMCS keeps an email log and an opt-in history for the new client (MS-9: retention reaches them there). */
import { defineBinding } from '../define-binding';

export default defineBinding({
  id: 'client-add-record-whmcs-holdings',
  hook: 'ClientAdd',
  module: 'whmcs',
  action: 'recordNewClientHoldings',
  priority: 20,
  enabledByDefault: true,
  description: "For brands that write back to WHMCS: record that WHMCS holds the new client's correspondence (its email log) and usage (its opt-in history IPs) from now on, so correspondence and usage retention rules select the client and expire them in WHMCS (MS-9). Only the categories and the time are stored.",
});
