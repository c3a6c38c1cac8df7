/** Session-level EPP frames (RFC 5730): hello, login, logout, and the command envelope with its clTRID. */
import { el, renderDocument, type XmlElement } from './xml-builder';
import { NS } from './epp-namespaces';

/** Wraps one command element (check/create/…) in <epp><command> with a clTRID. */
export function commandFrame(command: XmlElement, clTRID: string): string {
  return renderDocument(el('epp', { xmlns: NS.epp }, el('command', {}, command, el('clTRID', {}, clTRID))));
}

/** The hello frame (keep-alive; the server answers with a greeting). */
export function helloFrame(): string {
  return renderDocument(el('epp', { xmlns: NS.epp }, el('hello')));
}

/** Login with the object and extension URIs the greeting offered. */
export function loginFrame(p: { clID: string; password: string; newPassword?: string; lang: string; objURIs: string[]; extURIs: string[] }, clTRID: string): string {
  const svcs = el('svcs', {},
    p.objURIs.map((u) => el('objURI', {}, u)),
    p.extURIs.length ? el('svcExtension', {}, p.extURIs.map((u) => el('extURI', {}, u))) : undefined);
  return commandFrame(el('login', {},
    el('clID', {}, p.clID),
    el('pw', {}, p.password),
    p.newPassword ? el('newPW', {}, p.newPassword) : undefined,
    el('options', {}, el('version', {}, '1.0'), el('lang', {}, p.lang)),
    svcs), clTRID);
}

/** Logout. */
export function logoutFrame(clTRID: string): string {
  return commandFrame(el('logout'), clTRID);
}
