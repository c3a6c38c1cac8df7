/**
 * Validators for RDAP answers from the vendored official RDAP JSON schemas (spec/standards/rdap-json-schema), with the
 * IANA RDAP JSON values the schemas name as formats, and an RFC 9537 schema for `redacted` (the vendored domain
 * schema predates RFC 9537 and lists no `redacted` member, so that member is checked on its own).
 */
import fs from 'node:fs';
import path from 'node:path';
import { domainToASCII } from 'node:url';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const DIR = path.join(__dirname, '../../../spec/standards/rdap-json-schema');

// IANA "RDAP JSON Values" registry (RFC 9083 §10.2).
const ROLES = ['registrant', 'technical', 'administrative', 'abuse', 'billing', 'registrar', 'reseller', 'sponsor', 'proxy', 'notifications', 'noc'];
const STATUS = ['validated', 'renew prohibited', 'update prohibited', 'transfer prohibited', 'delete prohibited', 'proxy', 'private', 'removed', 'obscured', 'associated', 'active', 'inactive', 'locked', 'pending create', 'pending renew', 'pending transfer', 'pending update', 'pending delete', 'add period', 'auto renew period', 'client delete prohibited', 'client hold', 'client renew prohibited', 'client transfer prohibited', 'client update prohibited', 'pending restore', 'redemption period', 'renew period', 'server delete prohibited', 'server renew prohibited', 'server transfer prohibited', 'server update prohibited', 'server hold', 'transfer period'];
const EVENTS = ['registration', 'reregistration', 'last changed', 'expiration', 'deletion', 'reinstantiation', 'transfer', 'locked', 'unlocked', 'last update of RDAP database', 'registrar expiration', 'enum validation expiration'];
const NOTICE_TYPES = ['result set truncated due to authorization', 'result set truncated due to excessive load', 'result set truncated due to unexplainable reasons', 'object truncated due to authorization', 'object truncated due to excessive load', 'object truncated due to unexplainable reasons'];
const LINK_RELATIONS = ['self', 'related', 'alternate', 'about', 'help', 'glossary', 'terms-of-service', 'copyright', 'describedby'];
const LDH = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** RFC 9537 §4.2: the `redacted` member. */
export const REDACTED_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    required: ['name', 'method'],
    properties: {
      name: { type: 'object', minProperties: 1, properties: { type: { type: 'string' }, description: { type: 'string' } }, additionalProperties: false },
      prePath: { type: 'string', pattern: '^\\$' },
      postPath: { type: 'string', pattern: '^\\$' },
      replacementPath: { type: 'string', pattern: '^\\$' },
      pathLang: { const: 'jsonpath' },
      method: { enum: ['removal', 'emptyValue', 'partialValue', 'replacementValue'] },
      reason: { type: 'object', minProperties: 1, properties: { type: { type: 'string' }, description: { type: 'string' } }, additionalProperties: false },
    },
    additionalProperties: false,
    anyOf: [{ required: ['prePath'] }, { required: ['postPath'] }, { required: ['replacementPath'] }],
  },
};

/**
 * jcard.json names one definition `"$id": "vcardArray"`, which under draft-07 would move that subschema's base URI away
 * from jcard.json and break its `#/definitions/…` references; ICANN's validator reads it as a label. Drop nested ids.
 */
function withoutNestedIds<T>(node: T, root = false): T {
  if (Array.isArray(node)) return node.map((n) => withoutNestedIds(n)) as T;
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).filter(([k]) => root || k !== '$id').map(([k, v]) => [k, withoutNestedIds(v)])) as T;
  }
  return node;
}

function build(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  ajv.addFormat('role', { validate: (v: string) => ROLES.includes(v) });
  ajv.addFormat('status', { validate: (v: string) => STATUS.includes(v) });
  ajv.addFormat('eventAction', { validate: (v: string) => EVENTS.includes(v) });
  ajv.addFormat('noticeAndRemark', { validate: (v: string) => NOTICE_TYPES.includes(v) });
  ajv.addFormat('linkRelations', { validate: (v: string) => LINK_RELATIONS.includes(v) });
  ajv.addFormat('mediaTypes', /^[a-z]+\/[a-z0-9.+-]+$/);
  ajv.addFormat('rdapExtensions', /^[A-Za-z0-9_]+$/);
  // ldhName and unicodeName share the format: a name whose A-label form is a valid LDH name.
  ajv.addFormat('idn-hostname', { validate: (v: string) => LDH.test(domainToASCII(v) || '-') });
  for (const f of ['hostname-in-uri', 'ipv4-validation', 'ipv6-validation', 'variantRelation', 'image']) ajv.addFormat(f, true);
  for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith('.json'))) ajv.addSchema(withoutNestedIds(JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as Record<string, unknown>, true));
  return ajv;
}

let ajv: Ajv | undefined;
function validator(id: string): ValidateFunction {
  ajv ??= build();
  const v = ajv.getSchema(id);
  if (!v) throw new Error(`schema ${id} not found`);
  return v;
}
let redacted: ValidateFunction | undefined;

/** Schema errors of a body against one vendored schema (`redacted` checked against RFC 9537); empty when valid. */
export type SchemaId = 'rdap_domain.json' | 'rdap_error.json' | 'rdap_help.json' | 'rdap_entity.json' | 'rdap_nameserver.json';

export function schemaErrors(id: SchemaId, body: Record<string, unknown>): string[] {
  const { redacted: red, ...rest } = body;
  const v = validator(id);
  const errors: string[] = [];
  if (!v(rest)) errors.push(...(v.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));
  if (red !== undefined) {
    redacted ??= (ajv ??= build()).compile(REDACTED_SCHEMA);
    if (!redacted(red)) errors.push(...(redacted.errors ?? []).map((e) => `redacted${e.instancePath} ${e.message}`));
  }
  return errors;
}
