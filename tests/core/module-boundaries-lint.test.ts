/**
 * The module-boundary lint rule (lint/module-boundaries.mjs, on in eslint.config.mjs): `npm run lint` fails when a
 * module imports another module's internals or core/ imports a module. Lints in-memory sources through ESLint's Node
 * API with the project config, in a child process (ESLint loads its flat config with import(), which Jest's VM refuses).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

const RUNNER = `
const { ESLint } = require('eslint');
let input = '';
process.stdin.on('data', (d) => { input += d; }).on('end', async () => {
  const { cwd, cases } = JSON.parse(input);
  const eslint = new ESLint({ cwd });
  const out = [];
  for (const c of cases) {
    const [r] = await eslint.lintText(c.code, { filePath: c.filePath });
    out.push(r.messages.filter((m) => m.ruleId === 'local/module-boundaries' || m.fatal).map((m) => m.message));
  }
  process.stdout.write(JSON.stringify(out));
});`;

/** The module-boundary problems ESLint reports for each source, linted as if it were the file at `filePath`. */
function boundaryProblems(cases: { filePath: string; code: string }[]): string[][] {
  const input = JSON.stringify({ cwd: ROOT, cases: cases.map((c) => ({ ...c, filePath: path.join(ROOT, c.filePath) })) });
  return JSON.parse(execFileSync(process.execPath, ['-e', RUNNER], { cwd: ROOT, input, encoding: 'utf8' })) as string[][];
}

jest.setTimeout(60_000);

describe('lint: module boundaries', () => {
  it("a module importing another module's internals fails (values, type-only imports and re-exports alike); its index or public file, its own files and core/ pass", () => {
    const [value, typeOnly, reexport, allowed] = boundaryProblems([
      { filePath: 'modules/registrant/x.ts', code: "import { recordConsent } from '../consent/ledger/consent-ledger';\nexport const f = recordConsent;\n" },
      { filePath: 'modules/rights/erase/x.ts', code: "import type { MailerService } from '../../mailer/mailer-service';\nexport type M = MailerService;\n" },
      { filePath: 'modules/rdap/x.ts', code: "export { RegistrantService } from '../registrant/registrant-service';\n" },
      {
        filePath: 'modules/registrant/publish/x.ts',
        code: [
          "import type { ConsentService } from '../../consent/public';",
          "import consent from '../../consent';",
          "import rights from '../../rights/index';",
          "import { publishableFields } from '../consent/publish-consent';",
          "import { createSignedLink } from '../../../core/links/signed-link';",
          "import type { RegistryContact } from '../../registrars/contract';",
          'export const all = [consent, rights, publishableFields, createSignedLink];',
          'export type T = ConsentService | RegistryContact;',
        ].join('\n'),
      },
    ]);
    expect(value).toEqual([expect.stringContaining("'../consent/ledger/consent-ledger' is inside the consent module")]);
    expect(typeOnly).toEqual([expect.stringContaining("'../../mailer/mailer-service' is inside the mailer module")]);
    expect(reexport).toEqual([expect.stringContaining("'../registrant/registrant-service' is inside the registrant module")]);
    expect(allowed).toEqual([]);
  });

  it('core/ importing a module fails, type-only imports and require() included; core importing core passes', () => {
    const [bad, good] = boundaryProblems([
      {
        filePath: 'core/cli/commands/x.ts',
        code: [
          "import type { RightsService } from '../../../modules/rights/public';",
          "import { INSTALLED_MODULES } from '../../../modules/installed';",
          "export const load = () => require('../../../modules/consent').default;",
          'export type R = RightsService;',
          'export const m = INSTALLED_MODULES;',
        ].join('\n'),
      },
      { filePath: 'core/cli/commands/x.ts', code: "import { withSuite } from '../context';\nexport const w = withSuite;\n" },
    ]);
    expect(bad).toHaveLength(3);
    for (const p of bad) expect(p).toMatch(/^core\/ imports no module/);
    expect(good).toEqual([]);
  });
});
