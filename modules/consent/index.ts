/** consent: policy documents and versions, the consent ledger with signed receipts, marketing preferences, cookie consent. */
import { z } from 'zod';
import { defineModule } from '../../core/modules/define-module';
import { createConsentTables } from './migrations/202611231000-create-consent-tables';
import { consentChain } from './ledger/consent-ledger';
import { addDocumentEffectiveReported } from './migrations/202611231100-add-document-effective-reported';
import { addTokenDocument } from './migrations/202612061000-add-token-document';
import { documentAdminRoutes, documentClientRoutes } from './documents/routes';
import { policyEffectiveJob } from './documents/effective-job';
import { policyPublishJob } from './policy/publish-job';
import { receiptClientRoutes } from './receipts/routes';
import { cookieClientRoutes } from './cookies/cookie-routes';
import { cookieSettingsShape } from './cookies/cookie-settings';
import { gpcRootRoutes } from './gpc/gpc-routes';
import { policyAdminRoutes, policyRootRoutes } from './policy/policy-routes';
import { consentPersonalData } from './personal-data';
import { recordRegistrationConsent } from './capture/record-registration';
import { recordCheckoutConsent } from './capture/record-checkout';
import { recordProfileConsent } from './capture/record-profile-change';
import { recordNewsletterSignup } from './capture/record-newsletter';
import { validateCheckoutConsent, validateDetailsConsent } from './capture/validate-checkout';
import { gateMarketingEmail } from './messages/gate-marketing-email';
import { marketingAdminRoutes } from './marketing/admin-routes';
import { marketingClientRoutes } from './marketing/routes';
import { ConsentService } from './consent-service';
import { consentOutbox } from './email/consent-deliverers';
import { CONSENT_ERRORS } from './errors';
import { createPrivacyCenterTables } from './privacy-center/create-privacy-center-tables';
import { privacyCenterRoutes } from './privacy-center/center-routes';
import { ssoLinkEndpoint } from './privacy-center/sso-link-endpoint';
import { connectorDocumentsEndpoint } from './documents/connector-documents-endpoint';
import { validateContactDetailsConsent } from './hooks/validate-contact-details';
import { addCenterCodes } from './privacy-center/add-center-codes';
import { centerOutbox } from './privacy-center/code-email';

export const ConsentSettings = z.object({ ...cookieSettingsShape }).passthrough();
import { consentAdminPages, consentAdminNav } from './admin-pages';
import { consentDashboard } from './admin-pages/dashboard';

export default defineModule({
  name: 'consent',
  version: '0.1.0',
  type: 'addon',
  description: 'Records every agreement a person gives or withdraws, proves it with signed receipts, and owns policy versions and marketing preferences.',
  settings: ConsentSettings,
  migrations: [createConsentTables, addDocumentEffectiveReported, addTokenDocument, createPrivacyCenterTables, addCenterCodes],
  hooks: {
    recordRegistrationConsent, recordCheckoutConsent, recordProfileConsent, recordNewsletterSignup, validateCheckoutConsent, validateDetailsConsent, gateMarketingEmail, validateContactDetailsConsent,
  },
  service: (kernel) => new ConsentService(kernel),
  requires: ['mailer'],
  outbox: { ...consentOutbox, ...centerOutbox },
  errors: CONSENT_ERRORS,
  adminNav: consentAdminNav,
  dashboard: (ctx) => consentDashboard(ctx),
  routes: {
    pages: (r, k) => consentAdminPages(r, k),
    root: (r, k) => {
      gpcRootRoutes(r);
      policyRootRoutes(r, k); // the published privacy policy, /b/:brand/policy
      privacyCenterRoutes(r, k); // the customer's privacy center, /b/:brand/privacy
      ssoLinkEndpoint(r, k); // the WHMCS connector's sign-on link to it, POST /api/v1/connector/sso-link
      connectorDocumentsEndpoint(r, k); // the versions in force for the connector's forms, POST /api/v1/connector/documents
    },
    admin: (r, k) => {
      documentAdminRoutes(r, k);
      policyAdminRoutes(r, k);
      marketingAdminRoutes(r, k);
    },
    client: (r, k) => {
      cookieClientRoutes(r, k); // first: its GPC watcher covers every consent client route
      documentClientRoutes(r, k);
      marketingClientRoutes(r, k);
      receiptClientRoutes(r, k);
    },
  },
  jobs: [policyEffectiveJob, policyPublishJob],
  storesPersonalData: true,
  chains: [consentChain],
  encryptedColumns: [{ table: 'consent_ledger', id: 'id', columns: ['ip_enc', 'ua_enc'] }],
  personalData: consentPersonalData,
});
