/** Safe XML parsing for EPP frames: no DTDs or entity declarations, namespace prefixes dropped, nothing evaluated. */
import { XMLParser } from 'fast-xml-parser';

/** A parsed element: child elements by local name, attributes as `@name`, text as `#text`. */
export type XmlObject = { [key: string]: XmlValue };
export type XmlValue = string | XmlObject | XmlValue[];

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** Parses one frame; refuses DOCTYPE/ENTITY declarations (entity expansion attacks) and unparsable input. */
export function parseXml(xml: string): XmlObject {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new Error('XML with a DOCTYPE or entity declaration is refused');
  return parser.parse(xml, true) as XmlObject;
}

/** The value as a list (absent → [], one → [one]). */
export function list(v: XmlValue | undefined): XmlValue[] {
  if (v === undefined || v === '') return v === '' ? [v] : [];
  return Array.isArray(v) ? v : [v];
}

/** A child element (the first if repeated). */
export function child(v: XmlValue | undefined, name: string): XmlValue | undefined {
  const first = Array.isArray(v) ? v[0] : v;
  if (!first || typeof first !== 'object' || Array.isArray(first)) return undefined;
  return first[name];
}

/** Follows a path of child names. */
export function at(v: XmlValue | undefined, ...names: string[]): XmlValue | undefined {
  let cur = v;
  for (const n of names) cur = child(cur, n);
  return cur;
}

/** The text content of an element (a text-only element parses as a string, one with attributes as an object). */
export function text(v: XmlValue | undefined): string | undefined {
  const first = Array.isArray(v) ? v[0] : v;
  if (first === undefined) return undefined;
  if (typeof first === 'string') return first;
  if (Array.isArray(first)) return undefined;
  const t = first['#text'];
  return typeof t === 'string' ? t : t === undefined ? '' : undefined;
}

/** An attribute of an element. */
export function attr(v: XmlValue | undefined, name: string): string | undefined {
  const first = Array.isArray(v) ? v[0] : v;
  if (!first || typeof first !== 'object' || Array.isArray(first)) return undefined;
  const a = first[`@${name}`];
  return typeof a === 'string' ? a : undefined;
}
