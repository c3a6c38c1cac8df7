/** Domain commands (RFC 5731): check, create, renew, transfer (request/query), update, info. */
import type { ContactRole } from '../contract';
import { el, type XmlElement } from './xml-builder';
import { NS } from './epp-namespaces';

function d(name: string, ...children: Parameters<typeof el>[2][]): XmlElement {
  return el(`domain:${name}`, { 'xmlns:domain': NS.domain }, ...children);
}

function period(years: number | undefined): XmlElement | undefined {
  return years ? el('domain:period', { unit: 'y' }, String(years)) : undefined;
}

function nsList(hosts: string[] | undefined): XmlElement | undefined {
  return hosts?.length ? el('domain:ns', {}, hosts.map((h) => el('domain:hostObj', {}, h.toLowerCase()))) : undefined;
}

/** Contact handles by role for a domain (the registrant separately). */
export type RoleHandles = Partial<Record<ContactRole, string>>;

function contactRefs(handles: RoleHandles): XmlElement[] {
  return (['admin', 'tech', 'billing'] as const).filter((r) => handles[r]).map((r) => el('domain:contact', { type: r }, handles[r]!));
}

/** <domain:check> for one or more names. */
export function domainCheck(names: string[]): XmlElement {
  return el('check', {}, d('check', names.map((n) => el('domain:name', {}, n))));
}

/** <domain:create>: registrant and contacts only where given (thin registries take none). */
export function domainCreate(p: { name: string; period?: number; nameservers?: string[]; handles: RoleHandles; authPw: string }): XmlElement {
  return el('create', {}, d('create',
    el('domain:name', {}, p.name),
    period(p.period),
    nsList(p.nameservers),
    p.handles.registrant ? el('domain:registrant', {}, p.handles.registrant) : undefined,
    contactRefs(p.handles),
    el('domain:authInfo', {}, el('domain:pw', {}, p.authPw))));
}

/** <domain:renew>; `curExpDate` is YYYY-MM-DD. */
export function domainRenew(name: string, curExpDate: string, years: number): XmlElement {
  return el('renew', {}, d('renew', el('domain:name', {}, name), el('domain:curExpDate', {}, curExpDate), period(years)));
}

/** <transfer op="request|query">. */
export function domainTransfer(op: 'request' | 'query', name: string, authPw?: string, years?: number): XmlElement {
  return el('transfer', { op }, d('transfer',
    el('domain:name', {}, name),
    op === 'request' ? period(years) : undefined,
    authPw ? el('domain:authInfo', {}, el('domain:pw', {}, authPw)) : undefined));
}

/** <domain:info> (all hosts). */
export function domainInfo(name: string, authPw?: string): XmlElement {
  return el('info', {}, d('info', el('domain:name', { hosts: 'all' }, name), authPw ? el('domain:authInfo', {}, el('domain:pw', {}, authPw)) : undefined));
}

/** What a domain update adds, removes and changes. */
export interface DomainChanges {
  addNs?: string[]; remNs?: string[];
  addContacts?: RoleHandles; remContacts?: RoleHandles;
  addStatus?: string[]; remStatus?: string[];
  registrant?: string; authPw?: string;
}

function addRem(tag: 'add' | 'rem', ns: string[] | undefined, contacts: RoleHandles | undefined, status: string[] | undefined): XmlElement | undefined {
  const parts = [nsList(ns), ...contactRefs(contacts ?? {}), ...(status ?? []).map((s) => el('domain:status', { s }))].filter(Boolean) as XmlElement[];
  return parts.length ? el(`domain:${tag}`, {}, parts) : undefined;
}

/** <domain:update>. */
export function domainUpdate(name: string, c: DomainChanges): XmlElement {
  const chg = c.registrant || c.authPw
    ? el('domain:chg', {}, c.registrant ? el('domain:registrant', {}, c.registrant) : undefined, c.authPw ? el('domain:authInfo', {}, el('domain:pw', {}, c.authPw)) : undefined)
    : undefined;
  return el('update', {}, d('update', el('domain:name', {}, name), addRem('add', c.addNs, c.addContacts, c.addStatus), addRem('rem', c.remNs, c.remContacts, c.remStatus), chg));
}

/** Whether a domain update would change anything. */
export function hasChanges(c: DomainChanges): boolean {
  return Boolean(c.addNs?.length || c.remNs?.length || Object.keys(c.addContacts ?? {}).length || Object.keys(c.remContacts ?? {}).length || c.addStatus?.length || c.remStatus?.length || c.registrant || c.authPw);
}

/** <poll op="req"> / <poll op="ack" msgID="…">. */
export function pollCommand(op: 'req' | 'ack', msgID?: string): XmlElement {
  return el('poll', { op, msgID });
}
