/** `keys rotate`: a new data key, then every encrypted column re-encrypted under it while the service keeps running. */
import type { Command } from 'commander';
import { rotateKeys } from '../../crypto/rotate';
import { cliActor, outputFor, withSuite } from '../context';

/** Registers `keys` and its subcommands. */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('Manage the data keys that encrypt personal fields and secrets at rest.');

  keys.command('rotate')
    .description('Create a new data key and re-encrypt every encrypted column (kernel and modules) under it, batch by batch, printing progress per table. Old keys stay decrypt-only, so running instances keep reading every value. Audited as keys.rotate.')
    .option('--json', 'print the report as JSON (progress goes to stderr)')
    .action(async (opts: { json?: boolean }) => {
      const out = outputFor(opts);
      await withSuite(async (suite) => {
        const { db, keyring, audit } = suite.kernel;
        out.progress('creating a new data key and re-encrypting every encrypted column…');
        const report = await rotateKeys(db, keyring, suite.encryptedColumns(), (table, done) => out.progress(`  ${table}: ${done} row(s) re-encrypted so far`));
        await audit.record({ actor: cliActor(), action: 'keys.rotate', targetType: 'crypto_key', targetId: report.newKeyId, details: { reencrypted: report.reencrypted, tables: report.tables } });
        out.result({ ok: true, ...report }, () => {
          for (const [table, n] of Object.entries(report.tables)) out.line(`${table}: ${n} row(s) re-encrypted`);
          out.line(`New active key ${report.newKeyId}; ${report.reencrypted} row(s) re-encrypted in total. Older keys are now decrypt-only.`);
        });
      });
    });
}
