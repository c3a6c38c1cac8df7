// Local lint rule: a module's files reach another module only through its index or public file, and core/ imports no
// module (type-only imports included). Modules are the folders under modules/ whose index.ts calls defineModule.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const CORE = path.join(ROOT, 'core');
const MODULES = path.join(ROOT, 'modules');
const PUBLIC = new Set(['index', 'public']);

const inside = (p, dir) => p.startsWith(dir + path.sep);

const roots = new Map();
/** Whether `dir` is a module's folder (its index.ts calls defineModule; a feature folder's index.ts does not). */
function isModuleRoot(dir) {
  if (!roots.has(dir)) {
    const index = path.join(dir, 'index.ts');
    roots.set(dir, fs.existsSync(index) && /defineModule\s*\(/.test(fs.readFileSync(index, 'utf8')));
  }
  return roots.get(dir);
}

/** The module folder `p` belongs to: the deepest folder between it and modules/ that is a module's. */
function moduleOf(p) {
  let dir = fs.existsSync(p) && fs.statSync(p).isDirectory() ? p : path.dirname(p);
  while (inside(dir, MODULES)) {
    if (isModuleRoot(dir)) return dir;
    dir = path.dirname(dir);
  }
  return undefined;
}

/** Whether `target` is the module folder itself, or its index or public file (any extension). */
function isPublicFile(target, moduleDir) {
  if (target === moduleDir) return true;
  return path.dirname(target) === moduleDir && PUBLIC.has(path.basename(target).replace(/\.[cm]?[jt]s$/, ''));
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'modules reach each other only through index/public files; core/ imports no module' },
    schema: [],
    messages: {
      core: "core/ imports no module ('{{spec}}'): a module contributes through its definition (routes, cli, errors, service), and the installed list (modules/installed.ts) is handed to core.",
      internals: "'{{spec}}' is inside the {{module}} module: import only its index or public file (its service through kernel.service, named in `requires`).",
    },
  },
  create(context) {
    const file = path.resolve(context.cwd ?? ROOT, context.filename);
    const fromCore = inside(file, CORE);
    const fromModule = inside(file, MODULES) ? moduleOf(file) : undefined;
    if (!fromCore && !fromModule) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), spec);
      if (!inside(target, MODULES) && target !== MODULES) return;
      if (fromCore) return context.report({ node, messageId: 'core', data: { spec } });
      const to = moduleOf(target);
      if (!to || to === fromModule || isPublicFile(target, to)) return;
      context.report({ node, messageId: 'internals', data: { spec, module: path.relative(MODULES, to) } });
    };
    return {
      ImportDeclaration: (n) => check(n.source, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n.source, n.source.value),
      ExportAllDeclaration: (n) => check(n.source, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n.source, n.source.value),
      TSImportType: (n) => check(n, n.argument?.literal?.value),
      CallExpression: (n) => {
        if (n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments[0]?.type === 'Literal') check(n.arguments[0], n.arguments[0].value);
      },
    };
  },
};
