/** EPP namespace URIs (RFC 5730–5733, 5910, 3915). */

export const NS = {
  epp: 'urn:ietf:params:xml:ns:epp-1.0',
  contact: 'urn:ietf:params:xml:ns:contact-1.0',
  domain: 'urn:ietf:params:xml:ns:domain-1.0',
  host: 'urn:ietf:params:xml:ns:host-1.0',
  secDNS: 'urn:ietf:params:xml:ns:secDNS-1.1',
  secDNS10: 'urn:ietf:params:xml:ns:secDNS-1.0',
  rgp: 'urn:ietf:params:xml:ns:rgp-1.0',
} as const;

/** Object services the client logs in for (when the greeting offers them). */
export const WANTED_OBJECTS = [NS.contact, NS.domain, NS.host];

/** Extensions the client logs in for (when the greeting offers them). */
export const WANTED_EXTENSIONS = [NS.secDNS, NS.secDNS10, NS.rgp];
