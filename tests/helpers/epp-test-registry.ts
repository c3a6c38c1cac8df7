/** The in-memory registry behind the test EPP server: contacts, domains, a poll queue, real EPP result codes. */
import { XMLParser } from 'fast-xml-parser';
import { el, renderDocument, type XmlElement } from '../../modules/registrars/epp/xml-builder';

const NS_EPP = 'urn:ietf:params:xml:ns:epp-1.0';
const NS_CONTACT = 'urn:ietf:params:xml:ns:contact-1.0';
const NS_DOMAIN = 'urn:ietf:params:xml:ns:domain-1.0';

type X = Record<string, unknown>;
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '#text', parseTagValue: false, parseAttributeValue: false, trimValues: true });

/** Parses a frame keeping namespace prefixes (the client under test uses epp default, contact: and domain:). */
export function parseFrame(xml: string): X {
  return parser.parse(xml) as X;
}

const arr = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const txt = (v: unknown): string | undefined => (typeof v === 'string' ? v : v && typeof v === 'object' ? ((v as X)['#text'] as string | undefined) ?? '' : undefined);
const obj = (v: unknown): X => (v && typeof v === 'object' && !Array.isArray(v) ? (v as X) : {});

/** A stored contact (what the registry received). */
export interface StoredContact { id: string; sponsor: string; postalType: string; name: string; org?: string; street: string[]; city: string; sp?: string; pc?: string; cc: string; voice?: string; fax?: string; email: string; authPw: string; disclose?: { flag: string; fields: string[] } }

/** A stored domain. */
export interface StoredDomain { name: string; sponsor: string; registrant?: string; contacts: Record<string, string>; ns: string[]; status: string[]; crDate: string; exDate: string; authPw: string; transfer?: string }

/** The registry's state and command handling. */
export class TestRegistry {
  readonly contacts = new Map<string, StoredContact>();
  readonly domains = new Map<string, StoredDomain>();
  readonly messages: { id: string; text: string; qDate: string }[] = [];
  private sv = 0;
  private nextMsg = 1;

  constructor(readonly thin = false) {}

  /** Queues a poll message for the registrar. */
  queueMessage(text: string): void {
    this.messages.push({ id: String(this.nextMsg++), text, qDate: new Date().toISOString() });
  }

  /** Adds a domain directly (e.g. one sponsored by another registrar). */
  seedDomain(d: Partial<StoredDomain> & { name: string }): StoredDomain {
    const now = new Date();
    const full: StoredDomain = { sponsor: 'other-reg', contacts: {}, ns: [], status: ['ok'], crDate: now.toISOString(), exDate: new Date(now.getTime() + 365 * 864e5).toISOString(), authPw: 'Seed-Auth-1', ...d };
    this.domains.set(full.name, full);
    return full;
  }

  /** An EPP response frame. */
  response(code: number, msg: string, clTRID: string | undefined, resData?: XmlElement, msgQ?: XmlElement): string {
    this.sv += 1;
    return renderDocument(el('epp', { xmlns: NS_EPP }, el('response', {},
      el('result', { code: String(code) }, el('msg', {}, msg)),
      msgQ, resData ? el('resData', {}, resData) : undefined,
      el('trID', {}, clTRID ? el('clTRID', {}, clTRID) : undefined, el('svTRID', {}, `SV-${this.sv}`)))));
  }

  /** The greeting (object URIs: contact only when the registry is not thin). */
  greeting(): string {
    return renderDocument(el('epp', { xmlns: NS_EPP }, el('greeting', {},
      el('svID', {}, 'Test EPP Registry'), el('svDate', {}, new Date().toISOString()),
      el('svcMenu', {}, el('version', {}, '1.0'), el('lang', {}, 'en'),
        this.thin ? undefined : el('objURI', {}, NS_CONTACT), el('objURI', {}, NS_DOMAIN), el('objURI', {}, 'urn:ietf:params:xml:ns:host-1.0'),
        el('svcExtension', {}, el('extURI', {}, 'urn:ietf:params:xml:ns:secDNS-1.1'), el('extURI', {}, 'urn:ietf:params:xml:ns:rgp-1.0'))),
      el('dcp', {}, el('access', {}, el('all')), el('statement', {}, el('purpose', {}, el('admin'), el('prov')), el('recipient', {}, el('ours'), el('public')), el('retention', {}, el('stated')))))));
  }

  /** Handles a command (not login/logout/hello) for the logged-in registrar `clID`. */
  handle(cmd: X, clID: string, clTRID: string | undefined): string {
    const r = (code: number, msg: string, resData?: XmlElement, msgQ?: XmlElement) => this.response(code, msg, clTRID, resData, msgQ);
    for (const verb of ['check', 'create', 'update', 'info', 'renew', 'transfer', 'poll']) {
      if (cmd[verb] === undefined) continue;
      const body = obj(cmd[verb]);
      if (verb === 'poll') return this.poll(body, r);
      if (body['contact:' + verb]) return this.contact(verb, obj(body['contact:' + verb]), clID, r);
      if (body['domain:' + verb]) return this.domain(verb, obj(body['domain:' + verb]), clID, r, body['@op'] as string | undefined);
    }
    return r(2101, 'Unimplemented command');
  }

  private contact(verb: string, c: X, clID: string, r: (code: number, msg: string, rd?: XmlElement) => string): string {
    if (this.thin) return r(2307, 'Unimplemented object service');
    const id = txt(c['contact:id'])!;
    const existing = this.contacts.get(id);
    if (verb === 'create') {
      if (existing) return r(2302, 'Object exists');
      this.contacts.set(id, { ...this.readContact(c, {} as StoredContact), id, sponsor: clID });
      return r(1000, 'Command completed successfully', el('contact:creData', { 'xmlns:contact': NS_CONTACT }, el('contact:id', {}, id), el('contact:crDate', {}, new Date().toISOString())));
    }
    if (!existing) return r(2303, 'Object does not exist');
    if (existing.sponsor !== clID) return r(2201, 'Authorization error');
    if (verb === 'update') {
      this.contacts.set(id, { ...this.readContact(obj(c['contact:chg']), existing), id, sponsor: existing.sponsor });
      return r(1000, 'Command completed successfully');
    }
    if (verb === 'info') {
      const s = existing;
      return r(1000, 'Command completed successfully', el('contact:infData', { 'xmlns:contact': NS_CONTACT },
        el('contact:id', {}, s.id), el('contact:roid', {}, `C${s.id}-TEST`), el('contact:status', { s: 'ok' }),
        el('contact:postalInfo', { type: s.postalType }, el('contact:name', {}, s.name), s.org ? el('contact:org', {}, s.org) : undefined,
          el('contact:addr', {}, s.street.map((x) => el('contact:street', {}, x)), el('contact:city', {}, s.city), s.sp ? el('contact:sp', {}, s.sp) : undefined, s.pc ? el('contact:pc', {}, s.pc) : undefined, el('contact:cc', {}, s.cc))),
        s.voice ? el('contact:voice', {}, s.voice) : undefined, s.fax ? el('contact:fax', {}, s.fax) : undefined, el('contact:email', {}, s.email),
        el('contact:clID', {}, s.sponsor), el('contact:crID', {}, s.sponsor), el('contact:crDate', {}, new Date().toISOString()),
        el('contact:authInfo', {}, el('contact:pw', {}, s.authPw)),
        s.disclose ? el('contact:disclose', { flag: s.disclose.flag }, s.disclose.fields.map((f) => (['name', 'org', 'addr'].includes(f) ? el(`contact:${f}`, { type: s.postalType }) : el(`contact:${f}`)))) : undefined));
    }
    return r(2101, 'Unimplemented command');
  }

  private readContact(c: X, base: StoredContact): Omit<StoredContact, 'id' | 'sponsor'> {
    const pi = obj(arr(c['contact:postalInfo'])[0]);
    const addr = obj(pi['contact:addr']);
    const disclose = c['contact:disclose'] === undefined ? base.disclose : (() => {
      const d = obj(c['contact:disclose']);
      return { flag: String(d['@flag']), fields: ['name', 'org', 'addr', 'voice', 'fax', 'email'].filter((f) => d[`contact:${f}`] !== undefined) };
    })();
    const opt = (v: unknown, b: string | undefined) => (v === undefined ? b : txt(v) || undefined);
    return {
      postalType: (pi['@type'] as string) ?? base.postalType, name: txt(pi['contact:name']) ?? base.name, org: opt(pi['contact:org'], base.org),
      street: addr['contact:street'] !== undefined ? arr(addr['contact:street']).map((s) => txt(s) ?? '') : base.street ?? [],
      city: txt(addr['contact:city']) ?? base.city, sp: opt(addr['contact:sp'], base.sp), pc: opt(addr['contact:pc'], base.pc), cc: txt(addr['contact:cc']) ?? base.cc,
      voice: opt(c['contact:voice'], base.voice), fax: opt(c['contact:fax'], base.fax), email: txt(c['contact:email']) ?? base.email,
      authPw: txt(obj(c['contact:authInfo'])['contact:pw']) ?? base.authPw, disclose,
    };
  }

  private domain(verb: string, d: X, clID: string, r: (code: number, msg: string, rd?: XmlElement) => string, op?: string): string {
    const dd = (name: string, ...children: Parameters<typeof el>[2][]) => el(`domain:${name}`, { 'xmlns:domain': NS_DOMAIN }, ...children);
    if (verb === 'check') {
      return r(1000, 'Command completed successfully', dd('chkData', arr(d['domain:name']).map((n) => {
        const name = txt(n)!;
        return el('domain:cd', {}, el('domain:name', { avail: this.domains.has(name) ? '0' : '1' }, name), this.domains.has(name) ? el('domain:reason', {}, 'In use') : undefined);
      })));
    }
    const name = txt(d['domain:name'])!;
    const dom = this.domains.get(name);
    if (verb === 'create') {
      if (dom) return r(2302, 'Object exists');
      const registrant = txt(d['domain:registrant']);
      const contacts: Record<string, string> = {};
      for (const c of arr(d['domain:contact'])) contacts[String(obj(c)['@type'])] = txt(c)!;
      if (this.thin && (registrant || Object.keys(contacts).length)) return r(2306, 'Parameter value policy error: this registry takes no contacts');
      for (const id of [registrant, ...Object.values(contacts)].filter(Boolean) as string[]) if (!this.contacts.has(id)) return r(2303, 'Object does not exist');
      const years = Number(txt(d['domain:period']) ?? 1);
      const now = new Date();
      const exDate = new Date(now); exDate.setUTCFullYear(exDate.getUTCFullYear() + years);
      const ns = arr(obj(d['domain:ns'])['domain:hostObj']).map((h) => txt(h)!);
      this.domains.set(name, { name, sponsor: clID, registrant, contacts, ns, status: ['ok'], crDate: now.toISOString(), exDate: exDate.toISOString(), authPw: txt(obj(d['domain:authInfo'])['domain:pw'])! });
      return r(1000, 'Command completed successfully', dd('creData', el('domain:name', {}, name), el('domain:crDate', {}, now.toISOString()), el('domain:exDate', {}, exDate.toISOString())));
    }
    if (!dom) return r(2303, 'Object does not exist');
    if (verb === 'transfer') return this.transfer(dom, d, clID, r, dd, op ?? 'query');
    if (verb === 'info') {
      return r(1000, 'Command completed successfully', dd('infData', el('domain:name', {}, dom.name), el('domain:roid', {}, `D${dom.name.length}-TEST`),
        dom.status.map((s) => el('domain:status', { s })), dom.registrant ? el('domain:registrant', {}, dom.registrant) : undefined,
        Object.entries(dom.contacts).map(([type, id]) => el('domain:contact', { type }, id)),
        dom.ns.length ? el('domain:ns', {}, dom.ns.map((h) => el('domain:hostObj', {}, h))) : undefined,
        el('domain:clID', {}, dom.sponsor), el('domain:crDate', {}, dom.crDate), el('domain:exDate', {}, dom.exDate),
        dom.sponsor === clID ? el('domain:authInfo', {}, el('domain:pw', {}, dom.authPw)) : undefined));
    }
    if (dom.sponsor !== clID) return r(2201, 'Authorization error');
    if (verb === 'renew') {
      if (txt(d['domain:curExpDate']) !== dom.exDate.slice(0, 10)) return r(2306, 'Parameter value policy error: curExpDate does not match');
      const ex = new Date(dom.exDate); ex.setUTCFullYear(ex.getUTCFullYear() + Number(txt(d['domain:period']) ?? 1));
      dom.exDate = ex.toISOString();
      return r(1000, 'Command completed successfully', dd('renData', el('domain:name', {}, name), el('domain:exDate', {}, dom.exDate)));
    }
    if (verb === 'update') {
      if (dom.status.some((s) => s === 'clientUpdateProhibited' || s === 'serverUpdateProhibited')) {
        const rem = arr(obj(d['domain:rem'])['domain:status']).map((s) => String(obj(s)['@s']));
        if (!rem.includes('clientUpdateProhibited')) return r(2304, 'Object status prohibits operation');
      }
      const add = obj(d['domain:add']); const rem = obj(d['domain:rem']); const chg = obj(d['domain:chg']);
      for (const h of arr(obj(rem['domain:ns'])['domain:hostObj'])) dom.ns = dom.ns.filter((x) => x !== txt(h));
      for (const h of arr(obj(add['domain:ns'])['domain:hostObj'])) dom.ns.push(txt(h)!);
      for (const c of arr(rem['domain:contact'])) delete dom.contacts[String(obj(c)['@type'])];
      for (const c of arr(add['domain:contact'])) { const id = txt(c)!; if (!this.contacts.has(id)) return r(2303, 'Object does not exist'); dom.contacts[String(obj(c)['@type'])] = id; }
      for (const s of arr(rem['domain:status'])) dom.status = dom.status.filter((x) => x !== obj(s)['@s']);
      for (const s of arr(add['domain:status'])) dom.status = [...dom.status.filter((x) => x !== 'ok'), String(obj(s)['@s'])];
      if (!dom.status.length) dom.status = ['ok'];
      if (chg['domain:registrant'] !== undefined) dom.registrant = txt(chg['domain:registrant']);
      const pw = txt(obj(chg['domain:authInfo'])['domain:pw']); if (pw) dom.authPw = pw;
      return r(1000, 'Command completed successfully');
    }
    return r(2101, 'Unimplemented command');
  }

  private transfer(dom: StoredDomain, d: X, clID: string, r: (code: number, msg: string, rd?: XmlElement) => string, dd: (n: string, ...c: Parameters<typeof el>[2][]) => XmlElement, op: string): string {
    const trn = () => dd('trnData', el('domain:name', {}, dom.name), el('domain:trStatus', {}, dom.transfer ?? 'pending'), el('domain:reID', {}, clID),
      el('domain:reDate', {}, new Date().toISOString()), el('domain:acID', {}, dom.sponsor), el('domain:acDate', {}, new Date(Date.now() + 5 * 864e5).toISOString()));
    if (op === 'query') return dom.transfer ? r(1000, 'Command completed successfully', trn()) : r(2301, 'Object not pending transfer');
    if (op !== 'request') return r(2101, 'Unimplemented option');
    if (dom.sponsor === clID) return r(2106, 'Object is not eligible for transfer');
    if (txt(obj(d['domain:authInfo'])['domain:pw']) !== dom.authPw) return r(2202, 'Invalid authorization information');
    if (dom.status.includes('clientTransferProhibited') || dom.status.includes('serverTransferProhibited')) return r(2304, 'Object status prohibits operation');
    dom.transfer = 'pending';
    return r(1001, 'Command completed successfully; action pending', trn());
  }

  private poll(body: X, r: (code: number, msg: string, rd?: XmlElement, q?: XmlElement) => string): string {
    if (body['@op'] === 'req') {
      const m = this.messages[0];
      if (!m) return r(1300, 'Command completed successfully; no messages');
      return r(1301, 'Command completed successfully; ack to dequeue', undefined, el('msgQ', { count: String(this.messages.length), id: m.id }, el('qDate', {}, m.qDate), el('msg', {}, m.text)));
    }
    const i = this.messages.findIndex((m) => m.id === body['@msgID']);
    if (i < 0) return r(2303, 'Object does not exist');
    this.messages.splice(i, 1);
    return r(1000, 'Command completed successfully', undefined, el('msgQ', { count: String(this.messages.length), id: String(body['@msgID']) }));
  }
}
