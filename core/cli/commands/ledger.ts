/** `ledger verify`: walks the hash-chained logs and names the first broken link; exit 1 when one is broken. */
import { Option, type Command } from 'commander';
import type { ChainVerdict } from '../../chain/hash-chain';
import { allChains, chainNames } from '../chains';
import { CliUsageError } from '../cli-errors';
import { cliActor, outputFor, withSuite } from '../context';

/** A chain's verdict, or a note that its table is not there (its module is not installed). */
export type LedgerVerdict = ChainVerdict | { chain: string; ok: true; skipped: string };

/** Registers `ledger` and its subcommands. */
export function registerLedger(program: Command): void {
  const ledger = program.command('ledger').description('Check the append-only, hash-chained logs (audit log, disclosure log, consent ledger).');

  ledger.command('verify')
    .description('Verify every link of the hash chains and name the first broken one (seq, row id, reason). Exits 1 when a chain is broken, 0 when all hold.')
    .addOption(new Option('--chain <name>', 'which chain to check').choices([...chainNames(), 'all']).default('all'))
    .option('--json', 'print the verdicts as JSON')
    .action(async (opts: { chain: string; json?: boolean }) => {
      const out = outputFor(opts);
      const known = allChains();
      const chains = opts.chain === 'all' ? known : known.filter((c) => c.table === opts.chain);
      const verdicts = await withSuite(async (suite) => {
        const db = suite.kernel.db;
        const found: LedgerVerdict[] = [];
        for (const chain of chains) {
          if (!(await db.schema.hasTable(chain.table))) {
            if (opts.chain !== 'all') throw new CliUsageError(`the table ${chain.table} does not exist: its module is not installed or not migrated`);
            found.push({ chain: chain.table, ok: true, skipped: 'table not present' });
            continue;
          }
          out.progress(`verifying ${chain.table}…`);
          found.push(await chain.verify(db));
        }
        const broken = found.filter((v) => !v.ok).map((v) => v.chain);
        await suite.kernel.audit.record({ actor: cliActor(), action: 'ledger.verify', targetType: 'chain', targetId: opts.chain, details: { ok: broken.length === 0, broken } });
        return found;
      });
      const ok = verdicts.every((v) => v.ok);
      out.result({ ok, chains: verdicts }, () => {
        for (const v of verdicts) {
          if ('skipped' in v) out.line(`${v.chain}: skipped (${v.skipped})`);
          else if (v.ok) out.line(`${v.chain}: ok (${v.checked} link${v.checked === 1 ? '' : 's'})`);
          else out.line(`${v.chain}: BROKEN at seq ${v.brokenAt!.seq} (row id ${v.brokenAt!.id}): ${v.brokenAt!.reason}; ${v.checked} link(s) before it hold`);
        }
      });
      if (!ok) process.exitCode = 1;
    });
}
