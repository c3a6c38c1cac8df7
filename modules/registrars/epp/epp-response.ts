/** Reads an EPP frame: a greeting (service menu) or a response (result code, message, resData, msgQ, trIDs). */
import { at, attr, list, parseXml, text, type XmlValue } from './xml-parse';

/** The parts of a greeting the client uses. */
export interface Greeting { svID?: string; versions: string[]; langs: string[]; objURIs: string[]; extURIs: string[] }

/** One EPP response. */
export interface EppResponse {
  code: number;
  message: string;
  /** The registry's reason / value details, if any (not logged: may echo submitted data). */
  reasons: string[];
  resData?: XmlValue;
  msgQ?: { id: string; count: number; qDate?: string; msg?: string };
  clTRID?: string;
  svTRID?: string;
}

/** Parses a greeting frame; throws when the frame is not one. */
export function parseGreeting(xml: string): Greeting {
  const doc = parseXml(xml);
  const g = at(doc, 'epp', 'greeting');
  if (g === undefined) throw new Error('the server did not send an EPP greeting');
  const menu = at(g, 'svcMenu');
  const strings = (v: XmlValue | undefined) => list(v).map((x) => text(x)).filter((s): s is string => Boolean(s));
  return {
    svID: text(at(g, 'svID')),
    versions: strings(at(menu, 'version')),
    langs: strings(at(menu, 'lang')),
    objURIs: strings(at(menu, 'objURI')),
    extURIs: strings(at(menu, 'svcExtension', 'extURI')),
  };
}

/** Parses a response frame; throws when the frame is not one. */
export function parseResponse(xml: string): EppResponse {
  const doc = parseXml(xml);
  const r = at(doc, 'epp', 'response');
  if (r === undefined) throw new Error('the server sent a frame that is not an EPP response');
  const results = list(at(r, 'result'));
  const code = Number(attr(results[0], 'code'));
  if (!Number.isInteger(code)) throw new Error('the EPP response has no result code');
  const reasons: string[] = [];
  for (const res of results) {
    for (const ev of list(at(res, 'extValue'))) { const s = text(at(ev, 'reason')); if (s) reasons.push(s); }
  }
  const q = at(r, 'msgQ');
  return {
    code,
    message: text(at(results[0], 'msg')) ?? '',
    reasons,
    resData: at(r, 'resData'),
    msgQ: q === undefined ? undefined : { id: attr(q, 'id') ?? '', count: Number(attr(q, 'count') ?? 0), qDate: text(at(q, 'qDate')), msg: text(at(q, 'msg')) },
    clTRID: text(at(r, 'trID', 'clTRID')),
    svTRID: text(at(r, 'trID', 'svTRID')),
  };
}

/** True for 1xxx codes. */
export function isSuccess(code: number): boolean {
  return code >= 1000 && code < 2000;
}
