/** WHMCS's standard email templates that are service or billing notices (MS-7.2): transactional unless a brand says otherwise. */

/** Template names (as WHMCS's `messagename`) classed transactional by default; anything not listed and not classed is marketing. */
export const DEFAULT_TRANSACTIONAL: ReadonlySet<string> = new Set([
  // General / account
  'Client Signup Email', 'Client Email Address Verification', 'Password Reset Validation', 'Password Reset Confirmation',
  'Automated Password Reset', 'Client Account Closure Notification', 'Order Confirmation', 'Quote Delivery with PDF', 'Quote Accepted',
  'Quote Accepted Notification', 'Two-Factor Authentication Backup Code', 'Email Address Change Confirmation', 'Account Invite',
  // Products and services
  'Hosting Account Welcome Email', 'Reseller Account Welcome Email', 'Dedicated/VPS Server Welcome Email', 'Other Product/Service Welcome Email',
  'SSL Certificate Configuration Required', 'SSL Certificate Issued', 'Service Suspension Notification', 'Service Unsuspension Notification',
  'Cancellation Request Confirmation', 'Upgrade Order Confirmation',
  // Domains
  'Domain Registration Confirmation', 'Domain Transfer Initiated', 'Domain Transfer Completed', 'Domain Transfer Failed', 'Domain Renewal Confirmation',
  'Upcoming Domain Renewal Notice', 'Expired Domain Notice', 'Domain Redemption Period Reminder', 'Domain Expiry Notice',
  // Invoices
  'Invoice Created', 'Credit Card Invoice Created', 'Invoice Payment Confirmation', 'Invoice Payment Reminder', 'First Invoice Overdue Notice',
  'Second Invoice Overdue Notice', 'Third Invoice Overdue Notice', 'Credit Card Payment Due', 'Credit Card Payment Failed',
  'Credit Card Payment Confirmation', 'Credit Card Expiring Soon', 'Invoice Refund Confirmation', 'Direct Debit Payment Failed',
  'Direct Debit Payment Confirmation', 'Direct Debit Payment Pending',
  // Support
  'Support Ticket Opened', 'Support Ticket Reply', 'Support Ticket Auto Close Notification', 'Clients Only Bounce Message',
  'Closed Ticket Bounce Message', 'Replies Only Bounce Message', 'Support Ticket Opened by Admin',
  // The suite's own notices
  'Consent Withdrawal Notice', 'Policy Change Notice', 'Double Opt-In Confirmation',
]);
