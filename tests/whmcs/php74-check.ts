/** Refuses PHP newer than 7.4 in the WHMCS connector: php-parser in 7.4 mode, plus an AST walk for what it still accepts. */
import { Engine } from 'php-parser';

type Node = { kind?: string; loc?: { start: { line: number } } | null; [key: string]: unknown };

/** Types that are PHP 8 only when written as a type (return, parameter or property). */
const PHP8_TYPES: Record<string, string> = { mixed: 'mixed type', static: 'static return type', never: 'never type', null: 'null as a type', false: 'false as a type', true: 'true as a type' };
/** Functions PHP 7.4 does not have. */
const PHP8_FUNCTIONS = [
  'str_contains', 'str_starts_with', 'str_ends_with', 'get_debug_type', 'get_resource_id', 'fdiv', 'preg_last_error_msg',
  'array_is_list', 'enum_exists', 'json_validate', 'mb_str_pad', 'array_find', 'array_find_key', 'array_any', 'array_all',
];
/** Nodes whose `type` is a declared type. */
const TYPED = new Set(['function', 'method', 'closure', 'arrowfunc', 'parameter', 'propertystatement', 'classconstant']);

const parser = new Engine({ parser: { php7: true, version: '7.4', extractDoc: true, suppressErrors: false }, ast: { withPositions: true } });

/** The problems in one file's code, as "<file>:<line>: <feature>"; [] when it is PHP 7.4. */
export function php74Problems(code: string, file: string): string[] {
  let ast: Node;
  try {
    ast = parser.parseCode(code, file) as unknown as Node;
  } catch (e) {
    return [`${file}: syntax PHP 7.4 does not parse: ${(e as Error).message}`];
  }
  const problems: string[] = [];
  const refuse = (n: Node, feature: string): void => { problems.push(`${file}:${n.loc?.start.line ?? '?'}: ${feature}`); };
  const checkType = (owner: Node, t: unknown): void => {
    const type = t as Node | null;
    if (!type || typeof type !== 'object') return;
    if (type.kind === 'uniontype') refuse(owner, 'union types');
    else if (type.kind === 'intersectiontype') refuse(owner, 'intersection types');
    else if (type.kind === 'typereference' && typeof type.name === 'string' && PHP8_TYPES[type.name.toLowerCase()]) refuse(owner, PHP8_TYPES[type.name.toLowerCase()]);
  };
  const visit = (n: Node): void => {
    if (Array.isArray(n.attrGroups) && n.attrGroups.length > 0) refuse(n, 'attributes');
    if (n.kind && TYPED.has(n.kind)) checkType(n, n.type);
    if (n.kind === 'parameter') {
      if (n.flags || n.flagsSet) refuse(n, 'promoted constructor properties');
      if ((n.value as Node | null)?.kind === 'new') refuse(n, 'new in an initializer');
    }
    if (n.readonly === true || n.isReadonly === true) refuse(n, 'readonly');
    if (n.kind === 'number' && typeof n.value === 'string' && /^0o/i.test(n.value)) refuse(n, 'explicit octal literal');
    if (n.kind === 'staticlookup' && (n.offset as Node).kind === 'identifier' && String((n.offset as Node).name).toLowerCase() === 'class'
      && !['name', 'selfreference', 'parentreference', 'staticreference'].includes(String((n.what as Node).kind))) refuse(n, '::class on an object');
    if (n.kind === 'call' && (n.what as Node).kind === 'name') {
      const name = String((n.what as Node).name).replace(/^\\/, '').toLowerCase();
      if (PHP8_FUNCTIONS.includes(name)) refuse(n, `${name}()`);
    }
    for (const [key, v] of Object.entries(n)) {
      if (key === 'loc') continue;
      for (const child of Array.isArray(v) ? v : [v]) if (child && typeof child === 'object' && typeof (child as Node).kind === 'string') visit(child as Node);
    }
  };
  visit(ast);
  for (const c of (ast.comments as Node[] | undefined) ?? []) {
    if (typeof c.value === 'string' && c.value.startsWith('#[')) refuse(c, 'attributes');
  }
  return problems;
}
