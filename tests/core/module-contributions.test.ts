/** A module contributes its own error codes and CLI commands through its definition; the registry registers both. */
import { buildProgram } from '../../core/cli/main';
import { errorStatus, SuiteError, type ErrorCode } from '../../core/errors';
import { defineModule } from '../../core/modules/define-module';
import { ModuleRegistry } from '../../core/modules/registry';
import { INSTALLED_MODULES } from '../../modules/installed';

const probe = (name: string, errors: Record<`SUITE_${string}`, number>, cli?: Parameters<typeof defineModule>[0]['cli']) =>
  defineModule({ name, version: '1.0.0', type: 'addon', description: name, storesPersonalData: false, errors, cli });

describe('module error codes', () => {
  it("the installed modules' codes keep their HTTP statuses (a public contract) once the registry loads them", () => {
    new ModuleRegistry().load(INSTALLED_MODULES);
    const statuses = {
      SUITE_RIGHTS_REQUEST_UNKNOWN: 404,
      SUITE_RIGHTS_REQUEST_CLOSED: 409,
      SUITE_RIGHTS_NOT_VERIFIED: 409,
      SUITE_RIGHTS_PROCESSOR_ONLY: 403,
      SUITE_RIGHTS_WRONG_STATE: 409,
      SUITE_RIGHTS_CODE_INVALID: 401,
      SUITE_RIGHTS_EXPORT_GONE: 410,
      SUITE_RIGHTS_SUBJECT_REQUIRED: 422,
      SUITE_RIGHTS_EMAIL_UNAVAILABLE: 422,
      SUITE_RIGHTS_PROCESSOR_KEY: 403,
      SUITE_RIGHTS_NOT_A_MINOR: 409,
      SUITE_RIGHTS_NOT_RESTRICTED: 409,
      SUITE_RIGHTS_SUBJECT_ERASED: 409,
      SUITE_RIGHTS_DISCLOSURE_UNKNOWN: 404,
      SUITE_RIGHTS_FOUR_EYES: 403,
      SUITE_RIGHTS_CATEGORY_NOT_REGISTERED: 422,
      SUITE_RIGHTS_RECIPIENT_KIND: 422,
      SUITE_RIGHTS_NOTHING_TO_EXPORT: 422,
      SUITE_POLICY_NOT_REJECTABLE: 409,
      SUITE_PLATFORM_STATE: 409,
      SUITE_PLATFORM_VETOED: 422,
      SUITE_RETENTION_BUSY: 409,
      SUITE_RETENTION_RULE_UNKNOWN: 404,
      SUITE_RETENTION_RULE_INVALID: 409,
      SUITE_RETENTION_DRY_RUN_MISMATCH: 409,
      SUITE_RETENTION_HOLD_UNKNOWN: 404,
      SUITE_RETENTION_HOLD_RELEASED: 409
    };
    for (const [code, status] of Object.entries(statuses)) {
      expect([code, errorStatus(code), new SuiteError(code as ErrorCode).status]).toEqual([code, status, status]);
    }
  });

  it("a module's own code answers its status; a code the kernel or another module declares makes that module fail to load", () => {
    const r = new ModuleRegistry();
    const failed: string[] = [];
    r.load([
      probe('probe-one', { SUITE_PROBE_ONE_GONE: 410 }),
      probe('probe-copy', { SUITE_PROBE_ONE_GONE: 409 }),
      probe('probe-kernel', { SUITE_NOT_FOUND: 400 }),
    ], (f) => failed.push(`${f.module}: ${f.error}`));
    expect(r.list().map((m) => m.name)).toEqual(['probe-one']);
    expect(failed).toEqual([
      'probe-copy: error code SUITE_PROBE_ONE_GONE is already declared by probe-one',
      'probe-kernel: error code SUITE_NOT_FOUND is already declared by the kernel',
    ]);
    expect(new SuiteError('SUITE_PROBE_ONE_GONE' as ErrorCode).status).toBe(410);
    expect(new SuiteError('SUITE_NOT_FOUND').status).toBe(404);
  });
});

describe('module CLI commands', () => {
  it("the CLI lists each loaded module's commands, and none of a module that is not installed", () => {
    const withProbe = buildProgram([...INSTALLED_MODULES, probe('probe-cli', {}, (program) => { program.command('probe-hello').description('says hello'); })]);
    const names = withProbe.commands.map((c) => c.name());
    expect(names).toEqual(expect.arrayContaining(['rights', 'retention', 'probe-hello', 'escrow', 'serve']));
    const bare = buildProgram(INSTALLED_MODULES.filter((m) => m.name !== 'retention')).commands.map((c) => c.name());
    expect(bare).toContain('rights');
    expect(bare).not.toContain('retention');
    expect(bare).not.toContain('probe-hello');
  });
});
