/** The built-in default profile every brand inherits from: the purposes and recipients a hosting shop always has. */
import { DEFAULT_ACCESS, type PartialProfile } from './schema';

export const DEFAULT_PROFILE: PartialProfile = {
  /** Who reads which data category (MS-1.2, ESM-3); a brand's profile replaces the list of each category it names. */
  access: DEFAULT_ACCESS,
  purposes: [
    { code: 'service', description: 'Providing the hosting, domain and email services ordered', legalBasis: 'contract' },
    { code: 'billing', description: 'Invoicing, payment and accounting', legalBasis: 'contract' },
    { code: 'support', description: 'Answering support requests', legalBasis: 'contract' },
    { code: 'fraud', description: 'Preventing fraud and abuse', legalBasis: 'legitimate-interest' },
    { code: 'legal', description: 'Meeting legal obligations and answering lawful requests', legalBasis: 'legal-obligation' },
    { code: 'marketing', description: 'Promotional messages', legalBasis: 'consent', requiresConsent: true },
    { code: 'domain-registration', description: 'Registering domains with registrars and registries', legalBasis: 'contract' },
  ],
  recipients: [
    { code: 'registrar', name: 'Domain registrar', kind: 'registrar', purposes: ['domain-registration'], categories: ['contact', 'registration'] },
    { code: 'email', name: 'Transactional email provider', kind: 'email', purposes: ['service', 'billing', 'support', 'marketing', 'legal'], categories: ['contact'] },
    { code: 'ssl', name: 'SSL certificate authority', kind: 'ssl', purposes: ['service'], categories: ['contact'] },
    { code: 'stripe', name: 'Stripe', kind: 'payment', purposes: ['billing', 'fraud', 'legal'], categories: ['contact', 'billing', 'payment-token'] },
    { code: 'authority', name: 'Public authorities and courts, on a lawful request', kind: 'authority', purposes: ['legal'], categories: [] },
    { code: 'paypal', name: 'PayPal', kind: 'payment', purposes: ['billing', 'fraud', 'legal'], categories: ['contact', 'billing', 'payment-token'] },
  ],
};
