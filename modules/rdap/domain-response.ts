/** The RDAP domain answer (RFC 9083 §5.3) with RFC 9537 redaction, for the brand that holds the name. */
import type { Brand } from '../../core/brands/brand';
import type { Kernel } from '../../core/kernel';
import type { RegistrationData } from '../registrant/registrant-service';
import { ownEntity, privacyEntity, shownRoles, type EmailReplacement, type RdapEntity } from './entities';
import { RDAP_CONFORMANCE, standardNotices } from './notices';
import { removal, type Redaction } from './redaction';
import type { RdapSettings } from './settings';

/** RDAP status values for the suite's domain states. */
const STATUS: Record<string, string[]> = {
  registered: ['active'], renewed: ['active'], suspended: ['client hold'], registering: ['pending create'], transferring: ['pending transfer'],
};

const iso = (ms: number) => new Date(ms).toISOString();

/** Where this answer's links and forms point. */
export interface AnswerContext { kernel: Kernel; brand: Brand; settings: RdapSettings; baseUrl: string; controllerEmail?: string }

function emailReplacement(ctx: AnswerContext, data: RegistrationData, role: 'registrant' | 'tech'): EmailReplacement {
  const form = ctx.settings.contactFormUrl;
  const anonymised = data.anonymisedEmail[role];
  const formUri = (): string => (form
    ? form.replace(/\{domain\}/g, encodeURIComponent(data.domain)).replace(/\{role\}/g, role)
    : `mailto:${ctx.controllerEmail ?? `privacy@${data.domain}`}?subject=${encodeURIComponent(`Contact the ${role} of ${data.domain}`)}`);
  const mode = ctx.settings.redactedEmail;
  if (mode === 'email' && anonymised) return { kind: 'email', email: anonymised };
  if (mode === 'auto' && !form && anonymised) return { kind: 'email', email: anonymised };
  return { kind: 'form', uri: formUri() };
}

/** Builds the answer for a known domain. */
export function domainAnswer(ctx: AnswerContext, data: RegistrationData): Record<string, unknown> {
  const self = `${ctx.baseUrl}/rdap/domain/${data.domain}`;
  // The registry's domain ID is not published (profile table: removal).
  const redacted: Redaction[] = [removal('Registry Domain ID', '$.handle')];
  const entities: RdapEntity[] = [];
  for (const role of shownRoles(data)) {
    const c = data.contacts[role]!;
    if (data.privacy) {
      entities.push(privacyEntity(role, c));
    } else {
      const own = ownEntity(role, c, data.consented[role] ?? [], emailReplacement(ctx, data, role));
      entities.push(own.entity);
      redacted.push(...own.redacted);
    }
  }
  const events: { eventAction: string; eventDate: string }[] = [];
  if (data.registeredAt) events.push({ eventAction: 'registration', eventDate: iso(data.registeredAt) });
  if (data.renewedAt) events.push({ eventAction: 'reregistration', eventDate: iso(data.renewedAt) });
  events.push({ eventAction: 'last update of RDAP database', eventDate: iso(Date.now()) });
  const answer: Record<string, unknown> = {
    rdapConformance: [...RDAP_CONFORMANCE],
    objectClassName: 'domain',
    ldhName: data.domain,
    links: [{ value: self, rel: 'self', href: self, type: 'application/rdap+json' }],
    status: STATUS[data.status] ?? ['active'],
    events,
  };
  if (entities.length) answer.entities = entities;
  answer.notices = standardNotices(self, ctx.settings.termsUrl ?? `${ctx.baseUrl}/rdap/help`, true);
  answer.redacted = redacted;
  return answer;
}

/** An RDAP error object (RFC 9083 §6). */
export function errorAnswer(errorCode: number, title: string, description: string[]): Record<string, unknown> {
  return { rdapConformance: [...RDAP_CONFORMANCE], errorCode, title, description };
}

/** The help answer (RFC 9083 §7). */
export function helpAnswer(baseUrl: string, termsUrl?: string): Record<string, unknown> {
  const self = `${baseUrl}/rdap/help`;
  return {
    rdapConformance: [...RDAP_CONFORMANCE],
    notices: [
      ...standardNotices(self, termsUrl ?? self, false),
      { title: 'Queries', description: ['GET /rdap/domain/{name} answers the registration data of a domain held here (RFC 9082/9083), redacted under ICANN\'s Registration Data Policy (RFC 9537).'] },
    ],
  };
}
