/**
 * The EPP registrar: the RegistrarModule contract over one EPP session. Contacts are created before the domain
 * (handles = RegistryContact.id); the registrar lock is the clientTransferProhibited status; every result code is
 * mapped to the contract's one error shape.
 */
import type { DomainContacts, DomainInfo, DomainRequest, RegistrarModule, RegistrarResult, RegistryContact, ContactRole } from '../contract';
import { EppSession, type SessionOptions } from './session';
import { commandFrame } from './session-frames';
import type { XmlElement } from './xml-builder';
import type { EppResponse } from './epp-response';
import { isSuccess } from './epp-response';
import { EppFailure, errorForResult } from './result-codes';
import { makeClTRID } from './cltrid';
import { contactCreate, contactInfo, contactUpdate } from './contact-commands';
import { domainCheck, domainCreate, domainInfo, domainRenew, domainTransfer, domainUpdate, hasChanges, pollCommand, type DomainChanges, type RoleHandles } from './domain-commands';
import { readContactInfo, readDomainInfo, readExDate, readTransferStatus, type DomainInfData } from './response-data';
import { generateAuthCode } from './auth-code';
import { at, list } from './xml-parse';

/** The status this module uses as the registrar lock (prevents transfers away; updates stay possible). */
export const LOCK_STATUS = 'clientTransferProhibited';

/** The status that puts a domain on hold (RFC 5731: not published in the DNS zone), set by a suspension. */
export const HOLD_STATUS = 'clientHold';

/** Options of createEppRegistrar: the session's connection, credentials and timings. */
export type EppRegistrarOptions = SessionOptions & { name?: string };

const ROLES: ContactRole[] = ['registrant', 'admin', 'tech', 'billing'];

export class EppRegistrar implements RegistrarModule {
  readonly name: string;
  /** The underlying session (exposed for keep-alive and tests). */
  readonly session: EppSession;

  constructor(private readonly opts: EppRegistrarOptions) {
    this.name = opts.name ?? 'registrars/epp';
    this.session = new EppSession(opts);
  }

  /** Runs one command; a non-success code becomes an EppFailure unless `allow` lists it. */
  private async exec(cmd: XmlElement, requestId: string | undefined, step: string, allow: number[] = []): Promise<EppResponse> {
    const res = await this.session.command((id) => commandFrame(cmd, id), makeClTRID(this.opts.clTRIDPrefix, requestId, step));
    if (!isSuccess(res.code) && !allow.includes(res.code)) throw new EppFailure(errorForResult(res.code, res.message));
    return res;
  }

  private async wrap<T>(fn: () => Promise<T>): Promise<RegistrarResult<T>> {
    try {
      return { ok: true, data: await fn() };
    } catch (err) {
      if (err instanceof EppFailure) return { ok: false, error: err.error };
      return { ok: false, error: { code: 'REGISTRAR_INTERNAL', message: `The EPP module failed: ${(err as Error).message}`, retryable: false } };
    }
  }

  /** Creates a contact, or updates it when the handle already exists (a retried registration, or a known handle). */
  private async upsertContact(c: RegistryContact, requestId: string | undefined, step: string): Promise<void> {
    const res = await this.exec(contactCreate(c, c.authInfo ?? generateAuthCode()), requestId, `${step}c`, [2302]);
    if (res.code === 2302) await this.exec(contactUpdate(c), requestId, `${step}u`);
  }

  /** Updates a contact, or creates it when the registry does not know the handle. */
  private async updateOrCreateContact(c: RegistryContact, requestId: string | undefined, step: string): Promise<void> {
    const res = await this.exec(contactUpdate(c), requestId, `${step}u`, [2303]);
    if (res.code === 2303) await this.exec(contactCreate(c, c.authInfo ?? generateAuthCode()), requestId, `${step}c`);
  }

  /** Distinct contacts of a domain, each once, with the handle of each role. */
  private static handles(contacts: DomainContacts | undefined): { unique: RegistryContact[]; handles: RoleHandles } {
    const unique = new Map<string, RegistryContact>();
    const handles: RoleHandles = {};
    for (const role of ROLES) {
      const c = contacts?.[role];
      if (!c) continue;
      handles[role] = c.id;
      if (!unique.has(c.id)) unique.set(c.id, c);
    }
    return { unique: [...unique.values()], handles };
  }

  private async info(domain: string, requestId?: string): Promise<DomainInfData> {
    const res = await this.exec(domainInfo(domain), requestId, 'di');
    return readDomainInfo(res.resData);
  }

  /** domain:check: which names are available. */
  async checkDomains(names: string[]): Promise<RegistrarResult<{ available: Record<string, boolean> }>> {
    return this.wrap(async () => {
      const res = await this.exec(domainCheck(names), undefined, 'dk');
      const available: Record<string, boolean> = {};
      for (const cd of list(at(res.resData, 'chkData', 'cd'))) {
        const n = at(cd, 'name');
        const name = typeof n === 'string' ? n : (n as Record<string, unknown> | undefined)?.['#text'];
        const avail = typeof n === 'object' && n && !Array.isArray(n) ? (n as Record<string, unknown>)['@avail'] : undefined;
        if (typeof name === 'string') available[name.toLowerCase()] = avail === '1' || avail === 'true';
      }
      return { available };
    });
  }

  /** Creates the contacts (if any), then the domain. */
  registerDomain(req: DomainRequest): Promise<RegistrarResult<{ expiresAt?: string }>> {
    return this.wrap(async () => {
      const { unique, handles } = EppRegistrar.handles(req.contacts);
      for (const [i, c] of unique.entries()) await this.upsertContact(c, req.requestId, `k${i}`);
      const res = await this.exec(domainCreate({ name: req.domain, period: req.period ?? 1, nameservers: req.nameservers, handles, authPw: req.authInfo ?? generateAuthCode() }), req.requestId, 'dc');
      return { expiresAt: readExDate(res.resData, 'creData') };
    });
  }

  /** Creates (or updates, when the handle exists) each distinct contact, ahead of the domain:create that names them. */
  createContacts(req: { contacts: DomainContacts; requestId?: string }): Promise<RegistrarResult> {
    return this.wrap(async () => {
      const { unique } = EppRegistrar.handles(req.contacts);
      for (const [i, c] of unique.entries()) await this.upsertContact(c, req.requestId, `k${i}`);
      return {};
    });
  }

  /** Requests a transfer with the auth code. Contacts are set with saveContactDetails once the transfer completes. */
  transferDomain(req: DomainRequest & { authInfo: string }): Promise<RegistrarResult<{ status: string }>> {
    return this.wrap(async () => {
      const res = await this.exec(domainTransfer('request', req.domain, req.authInfo, req.period), req.requestId, 'tr');
      return { status: readTransferStatus(res.resData) ?? (res.code === 1001 ? 'pending' : 'unknown') };
    });
  }

  /** Queries a pending transfer's status (EPP transfer op="query"). */
  transferStatus(domain: string, authInfo?: string): Promise<RegistrarResult<{ status: string }>> {
    return this.wrap(async () => {
      const res = await this.exec(domainTransfer('query', domain, authInfo), undefined, 'tq');
      return { status: readTransferStatus(res.resData) ?? 'unknown' };
    });
  }

  /** Renews for `period` years from the current expiry date. */
  renewDomain(req: { domain: string; period: number; currentExpiry: string; requestId?: string }): Promise<RegistrarResult<{ expiresAt?: string }>> {
    return this.wrap(async () => {
      const res = await this.exec(domainRenew(req.domain, req.currentExpiry.slice(0, 10), req.period), req.requestId, 'rn');
      return { expiresAt: readExDate(res.resData, 'renData') };
    });
  }

  /** The domain's contacts, read with contact:info. */
  getContactDetails(domain: string): Promise<RegistrarResult<{ contacts: DomainContacts }>> {
    return this.wrap(async () => {
      const inf = await this.info(domain);
      const contacts: DomainContacts = {};
      const cache = new Map<string, RegistryContact>();
      for (const role of ROLES) {
        const id = inf.contacts[role];
        if (!id) continue;
        if (!cache.has(id)) cache.set(id, readContactInfo((await this.exec(contactInfo(id), undefined, 'ki')).resData));
        contacts[role] = cache.get(id);
      }
      return { contacts };
    });
  }

  /** Updates (or creates) each contact, then points the domain's roles at them where they differ. */
  saveContactDetails(req: { domain: string; contacts: DomainContacts; requestId?: string }): Promise<RegistrarResult> {
    return this.wrap(async () => {
      await this.applyContacts(req.domain, req.contacts, req.requestId);
      return {};
    });
  }

  private async applyContacts(domain: string, contacts: DomainContacts, requestId?: string): Promise<void> {
    const { unique, handles } = EppRegistrar.handles(contacts);
    for (const [i, c] of unique.entries()) await this.updateOrCreateContact(c, requestId, `k${i}`);
    const inf = await this.info(domain, requestId);
    const changes: DomainChanges = { addContacts: {}, remContacts: {} };
    if (handles.registrant && handles.registrant !== inf.contacts.registrant) changes.registrant = handles.registrant;
    for (const role of ['admin', 'tech', 'billing'] as const) {
      if (!handles[role] || handles[role] === inf.contacts[role]) continue;
      changes.addContacts![role] = handles[role];
      if (inf.contacts[role]) changes.remContacts![role] = inf.contacts[role];
    }
    if (hasChanges(changes)) await this.exec(domainUpdate(domain, changes), requestId, 'du');
  }

  /**
   * ID protection: the registrant module passes the contacts to publish (privacy service or the customer's own) with
   * their disclose flags; when switching on, a contact without flags is sent with every field hidden.
   */
  idProtectToggle(req: { domain: string; enabled: boolean; contacts: DomainContacts; requestId?: string }): Promise<RegistrarResult> {
    return this.wrap(async () => {
      const contacts: DomainContacts = {};
      for (const role of ROLES) {
        const c = req.contacts[role];
        if (c) contacts[role] = req.enabled && !c.disclose ? { ...c, disclose: { name: false, org: false, addr: false, voice: false, fax: false, email: false } } : c;
      }
      await this.applyContacts(req.domain, contacts, req.requestId);
      return {};
    });
  }

  /** The domain's name servers. */
  getNameservers(domain: string): Promise<RegistrarResult<{ nameservers: string[] }>> {
    return this.wrap(async () => ({ nameservers: (await this.info(domain)).nameservers }));
  }

  /** Replaces the name servers (host objects must exist at the registry). */
  saveNameservers(req: { domain: string; nameservers: string[]; requestId?: string }): Promise<RegistrarResult> {
    return this.wrap(async () => {
      const want = req.nameservers.map((n) => n.toLowerCase());
      const have = (await this.info(req.domain, req.requestId)).nameservers;
      const changes: DomainChanges = { addNs: want.filter((n) => !have.includes(n)), remNs: have.filter((n) => !want.includes(n)) };
      if (hasChanges(changes)) await this.exec(domainUpdate(req.domain, changes), req.requestId, 'dn');
      return {};
    });
  }

  /**
   * Adds or removes one client status with domain:update, after domain:info shows it is not already so: a retried
   * delivery whose first update reached the registry sends no second one.
   */
  private async setStatus(domain: string, status: string, on: boolean, requestId: string | undefined, step: string): Promise<boolean> {
    const has = (await this.info(domain, requestId)).status.includes(status);
    if (on === has) return false;
    await this.exec(domainUpdate(domain, on ? { addStatus: [status] } : { remStatus: [status] }), requestId, step);
    return true;
  }

  /** Locks (adds clientTransferProhibited) or unlocks (removes it). */
  setRegistrarLock(req: { domain: string; locked: boolean; requestId?: string }): Promise<RegistrarResult> {
    return this.wrap(async () => {
      await this.setStatus(req.domain, LOCK_STATUS, req.locked, req.requestId, 'dl');
      return {};
    });
  }

  /** Puts the domain on hold (adds clientHold) or lifts the hold (removes it); `changed` is false when it already was so. */
  setClientHold(req: { domain: string; hold: boolean; requestId?: string }): Promise<RegistrarResult<{ changed: boolean }>> {
    return this.wrap(async () => ({ changed: await this.setStatus(req.domain, HOLD_STATUS, req.hold, req.requestId, 'dh') }));
  }

  /** The auth code from domain:info; when the registry returns none, a new one is set with domain:update and returned. */
  getEppCode(domain: string): Promise<RegistrarResult<{ eppCode: string }>> {
    return this.wrap(async () => {
      const inf = await this.info(domain);
      if (inf.authPw) return { eppCode: inf.authPw };
      const eppCode = generateAuthCode();
      await this.exec(domainUpdate(domain, { authPw: eppCode }), undefined, 'da');
      return { eppCode };
    });
  }

  /** Status, expiry, name servers, lock and contact handles from domain:info. */
  sync(domain: string): Promise<RegistrarResult<DomainInfo>> {
    return this.wrap(async () => {
      const inf = await this.info(domain);
      return { domain: inf.name || domain, status: inf.status, expiresAt: inf.exDate, nameservers: inf.nameservers, locked: inf.status.includes(LOCK_STATUS), contacts: inf.contacts };
    });
  }

  /** Reads every queued message (up to `max`), acknowledging each after reading it. */
  poll(max = 50): Promise<RegistrarResult<{ messages: { id: string; text: string; at?: string }[] }>> {
    return this.wrap(async () => {
      const messages: { id: string; text: string; at?: string }[] = [];
      for (let i = 0; i < max; i += 1) {
        const res = await this.exec(pollCommand('req'), undefined, 'pr');
        if (res.code !== 1301 || !res.msgQ) break;
        messages.push({ id: res.msgQ.id, text: res.msgQ.msg ?? res.message, at: res.msgQ.qDate });
        await this.exec(pollCommand('ack', res.msgQ.id), undefined, 'pa');
      }
      return { messages };
    });
  }

  /** Logs out and closes the connection. */
  async close(): Promise<void> {
    await this.session.close();
  }
}

/** Creates an EPP registrar (one session, opened on first use). */
export function createEppRegistrar(options: EppRegistrarOptions): EppRegistrar {
  return new EppRegistrar(options);
}
