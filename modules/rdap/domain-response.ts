/** The RDAP domain answer (RFC 9083 §5.3) with RFC 9537 redaction, for the brand that holds the name. */
import { contactEntity, type RdapEntity } from './entities';
import { RDAP_CONFORMANCE, standardNotices } from './notices';
import { removal, type Redaction } from './redaction';
import { registrarEntity, registrarOf } from './registrar-entity';
import type { RegistrationView } from './registration-view';
import type { RdapSettings } from './settings';

/** RDAP status values for the suite's domain states. */
const STATUS: Record<string, string[]> = {
  registered: ['active'], renewed: ['active'], suspended: ['client hold'], registering: ['pending create'], transferring: ['pending transfer'],
};

const iso = (ms: number) => new Date(ms).toISOString();

/** Where this answer's links point. */
export interface AnswerContext { settings: RdapSettings; baseUrl: string }

/** Formats the published view of a known domain. */
export function domainAnswer(ctx: AnswerContext, data: RegistrationView): Record<string, unknown> {
  const self = `${ctx.baseUrl}/rdap/domain/${data.domain}`;
  // The registry's domain ID is not published (profile table: removal).
  const redacted: Redaction[] = [removal('Registry Domain ID', '$.handle')];
  const entities: RdapEntity[] = [];
  for (const contact of data.contacts) {
    const one = contactEntity(contact);
    entities.push(one.entity);
    redacted.push(...one.redacted);
  }
  const events: { eventAction: string; eventDate: string }[] = [];
  if (data.registeredAt) events.push({ eventAction: 'registration', eventDate: iso(data.registeredAt) });
  if (data.renewedAt) events.push({ eventAction: 'reregistration', eventDate: iso(data.renewedAt) });
  // The record's own last change, not the clock: the same data gives the same bytes (and ETag) on every look-up.
  events.push({ eventAction: 'last update of RDAP database', eventDate: iso(data.updatedAt) });
  const answer: Record<string, unknown> = {
    rdapConformance: [...RDAP_CONFORMANCE],
    objectClassName: 'domain',
    ldhName: data.domain,
    links: [{ value: self, rel: 'self', href: self, type: 'application/rdap+json' }],
    status: STATUS[data.status] ?? ['active'],
    events,
  };
  const registrar = registrarOf(ctx.settings);
  const all: object[] = [...entities];
  if (registrar) all.push(registrarEntity(registrar, `${ctx.baseUrl}/rdap/entity/${registrar.ianaId}`));
  if (all.length) answer.entities = all;
  answer.notices = standardNotices(self, ctx.settings.termsUrl ?? `${ctx.baseUrl}/rdap/help`, true);
  answer.redacted = redacted;
  return answer;
}

/** An RDAP error object (RFC 9083 §6). */
export function errorAnswer(errorCode: number, title: string, description: string[]): Record<string, unknown> {
  return { rdapConformance: [...RDAP_CONFORMANCE], errorCode, title, description };
}

/** The help answer (RFC 9082 §3.1.6, RFC 9083 §7): conformance, terms, and the queries this service answers. */
export function helpAnswer(baseUrl: string, termsUrl?: string): Record<string, unknown> {
  const self = `${baseUrl}/rdap/help`;
  return {
    rdapConformance: [...RDAP_CONFORMANCE],
    notices: [
      ...standardNotices(self, termsUrl ?? self, false),
      {
        title: 'Queries',
        description: [
          'GET /rdap/domain/{name}: the registration data of a domain held here (RFC 9082/9083), redacted under ICANN\'s Registration Data Policy (RFC 9537). Names in LDH or Unicode (U-label) form.',
          'GET /rdap/nameserver/{name}: a name server of a domain held here.',
          'GET /rdap/entity/{IANA Registrar ID}: the registrar and its abuse contact. Contact handles are not looked up (they are redacted).',
          'GET /rdap/help: this notice.',
          'Answers carry ETag and Cache-Control; a request with If-None-Match gets 304 when unchanged. Too many look-ups from one address get 429 with Retry-After.',
        ],
        links: [{ value: self, rel: 'help', href: self, type: 'application/rdap+json' }],
      },
    ],
  };
}
