/** The default bindings, one per file. A test checks every file in this folder is listed here. */
import type { BindingDefinition } from '../define-binding';
import clientAddRecordSubject from './client-add-record-subject';
import clientEditUpdateSubject from './client-edit-update-subject';
import clientCloseMarkSubject from './client-close-mark-subject';
import contactAddRecordSubject from './contact-add-record-subject';
import contactEditUpdateSubject from './contact-edit-update-subject';
import contactDeleteCloseSubject from './contact-delete-close-subject';
import abuseComplaintSuspendService from './abuse-complaint-suspend-service';
import consentClientAddRecordConsent from './consent-client-add-record-consent';
import consentClientEditRecordConsent from './consent-client-edit-record-consent';
import consentAfterShoppingCartCheckoutRecordConsent from './consent-after-shopping-cart-checkout-record-consent';
import consentShoppingCartValidateCheckoutCheckTermsAndAge from './consent-shopping-cart-validate-checkout-check-terms-and-age';
import consentClientDetailsValidationCheckTermsAndAge from './consent-client-details-validation-check-terms-and-age';
import consentEmailPreSendGateMarketing from './consent-email-pre-send-gate-marketing';
import consentNewsletterSignupRecordConsent from './consent-newsletter-signup-record-consent';
import registrantPreRegistrarRegisterDomainCheckContacts from './registrant-pre-registrar-register-domain-check-contacts';
import registrantPreRegistrarTransferDomainCheckContacts from './registrant-pre-registrar-transfer-domain-check-contacts';
import registrantAfterRegistrarRegistrationRecordDomain from './registrant-after-registrar-registration-record-domain';
import registrantAfterRegistrarRenewalRecordDomain from './registrant-after-registrar-renewal-record-domain';
import registrantClientEditRectifyContacts from './registrant-client-edit-rectify-contacts';
import registrantContactEditRectifyContacts from './registrant-contact-edit-rectify-contacts';
import rightsDataSubjectRequestOpenRequest from './rights-data-subject-request-open-request';
import userLoginRecordLastLogin from './user-login-record-last-login';
import consentContactDetailsValidationCheckAge from './consent-contact-details-validation-check-age';
import registrantAfterRegistrarTransferRecordDomain from './registrant-after-registrar-transfer-record-domain';
import rdapAfterRegistrarRegistrationRecordNameservers from './rdap-after-registrar-registration-record-nameservers';
import rdapAfterRegistrarTransferRecordNameservers from './rdap-after-registrar-transfer-record-nameservers';
import registrantAfterRegistrarSaveContactDetailsRecordContacts from './registrant-after-registrar-save-contact-details-record-contacts';
import rightsPreDeleteClientEraseSubject from './rights-pre-delete-client-erase-subject';
import invoicePaidRecordEvent from './invoice-paid-record-event';
import cancellationRequestRecordServiceEnded from './cancellation-request-record-service-ended';
import afterShoppingCartCheckoutRecordOrder from './after-shopping-cart-checkout-record-order';
import clientAddRecordWhmcsHoldings from './client-add-record-whmcs-holdings';
import ticketOpenRecordWhmcsHolding from './ticket-open-record-whmcs-holding';
import ticketUserReplyRecordWhmcsHolding from './ticket-user-reply-record-whmcs-holding';

export const DEFAULT_BINDINGS: BindingDefinition[] = [
  clientAddRecordSubject,
  clientEditUpdateSubject,
  clientCloseMarkSubject,
  contactAddRecordSubject,
  contactEditUpdateSubject,
  contactDeleteCloseSubject,
  abuseComplaintSuspendService,
  consentClientAddRecordConsent,
  consentClientEditRecordConsent,
  consentAfterShoppingCartCheckoutRecordConsent,
  consentShoppingCartValidateCheckoutCheckTermsAndAge,
  consentClientDetailsValidationCheckTermsAndAge,
  consentEmailPreSendGateMarketing,
  consentNewsletterSignupRecordConsent,
  registrantPreRegistrarRegisterDomainCheckContacts,
  registrantPreRegistrarTransferDomainCheckContacts,
  registrantAfterRegistrarRegistrationRecordDomain,
  registrantAfterRegistrarRenewalRecordDomain,
  registrantClientEditRectifyContacts,
  registrantContactEditRectifyContacts,
  rightsDataSubjectRequestOpenRequest,
  userLoginRecordLastLogin,
  consentContactDetailsValidationCheckAge,
  registrantAfterRegistrarTransferRecordDomain,
  registrantAfterRegistrarSaveContactDetailsRecordContacts,
  rightsPreDeleteClientEraseSubject,
  invoicePaidRecordEvent,
  cancellationRequestRecordServiceEnded,
  afterShoppingCartCheckoutRecordOrder,
  clientAddRecordWhmcsHoldings,
  ticketOpenRecordWhmcsHolding,
  ticketUserReplyRecordWhmcsHolding,
  rdapAfterRegistrarRegistrationRecordNameservers,
  rdapAfterRegistrarTransferRecordNameservers,
];
