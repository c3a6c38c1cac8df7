/** The conformance values and notices every RDAP answer carries (RFC 9083, RFC 9537, ICANN gTLD RDAP profile of February 2024). */

export const RDAP_CONFORMANCE = ['rdap_level_0', 'redacted', 'icann_rdap_response_profile_1', 'icann_rdap_technical_implementation_guide_1'] as const;

export const RDAP_MEDIA_TYPE = 'application/rdap+json';

/** One RDAP notice. */
export interface RdapNotice { title: string; type?: string; description: string[]; links?: { value: string; rel: string; href: string; type: string }[] }

/** Terms of service (pointing at the help page or the brand's terms), status codes and the inaccuracy complaint form. */
export function standardNotices(selfUrl: string, termsUrl: string, domain: boolean): RdapNotice[] {
  const notices: RdapNotice[] = [{
    title: 'Terms of Service',
    description: [
      'Registration data is published under ICANN\'s Registration Data Policy. Personal data of registrants is redacted unless the registrant consented to publish it.',
      'Use of this service for unsolicited advertising or to collect personal data is not permitted.',
    ],
    links: [{ value: selfUrl, rel: 'terms-of-service', href: termsUrl, type: 'text/html' }],
  }];
  if (domain) {
    notices.push(
      { title: 'Status Codes', description: ['For more information on domain status codes, please visit https://icann.org/epp'], links: [{ value: selfUrl, rel: 'glossary', href: 'https://icann.org/epp', type: 'text/html' }] },
      { title: 'RDDS Inaccuracy Complaint Form', description: ['URL of the ICANN RDDS Inaccuracy Complaint Form: https://icann.org/wicf'], links: [{ value: selfUrl, rel: 'help', href: 'https://icann.org/wicf', type: 'text/html' }] },
    );
  }
  return notices;
}
