/**
 * RFC 9537 `redacted` entries, named and placed as the February 2024 gTLD RDAP response profile (and ICANN's
 * conformance tool) expects them. Paths are JSONPath (RFC 9535) into the answer.
 */

export type RedactionMethod = 'removal' | 'emptyValue' | 'replacementValue';

/** One `redacted` member entry. */
export interface Redaction {
  name: { type: string };
  prePath?: string;
  postPath?: string;
  replacementPath?: string;
  pathLang: 'jsonpath';
  method: RedactionMethod;
  reason: { type: string };
}

const REASON = { type: 'Server policy' };

/** The JSONPath of an entity by its first role. */
export function entityPath(role: string): string {
  return `$.entities[?(@.roles[0]=='${role}')]`;
}

/** The JSONPath of a vCard property of an entity (by name, or by `type` parameter for tel). */
export function vcardPath(role: string, property: string): string {
  return `${entityPath(role)}.vcardArray[1][?(@[0]=='${property}')]`;
}
export function telPath(role: string, type: 'voice' | 'fax'): string {
  return `${entityPath(role)}.vcardArray[1][?(@[1].type=='${type}')]`;
}

/** A field removed from the answer: `prePath` names where it was. */
export function removal(type: string, prePath: string): Redaction {
  return { name: { type }, prePath, pathLang: 'jsonpath', method: 'removal', reason: REASON };
}

/** A field left in place with an empty value: `postPath` names it. */
export function emptyValue(type: string, postPath: string): Redaction {
  return { name: { type }, postPath, pathLang: 'jsonpath', method: 'emptyValue', reason: REASON };
}

/** A value replaced: in place (`postPath`, e.g. an anonymised email) or by another member (`prePath` → `replacementPath`, e.g. a contact-uri). */
export function replacement(type: string, at: { postPath: string } | { prePath: string; replacementPath: string }): Redaction {
  return { name: { type }, ...at, pathLang: 'jsonpath', method: 'replacementValue', reason: REASON };
}
