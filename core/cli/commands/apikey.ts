/** `apikey create`: issues an admin API key scoped to a role and optionally a brand, printed once. */
import { Option, type Command } from 'commander';
import { Role } from '../../apikeys/api-keys';
import { cliActor, outputFor, withSuite } from '../context';

/** Registers `apikey` and its subcommands. */
export function registerApiKey(program: Command): void {
  const apikey = program.command('apikey').description('Issue admin API keys (sent as Authorization: Bearer <key>).');

  apikey.command('create')
    .description('Create an API key and print it once; only its hash is stored. owner: everything; admin: everything within --brand (or all brands); reseller: its --brand and the brands below (needs --brand); auditor, support, spam-control: read only. Which personal data each role reads is the profile\'s access table.')
    .addOption(new Option('--role <role>', 'what the key may do').choices(Role.options).makeOptionMandatory())
    .option('--brand <slug>', 'limit the key to this brand (and the brands below it)')
    .option('--label <text>', 'a note to recognise the key by (e.g. "billing panel")')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { role: string; brand?: string; label?: string; json?: boolean }) => {
      const out = outputFor(opts);
      await withSuite(async (suite) => {
        const created = await suite.apiKeys.create({ role: opts.role, brand: opts.brand, label: opts.label }, cliActor());
        out.result({ ...created, label: opts.label ?? null }, () => {
          out.line(`Created ${created.role} key ${created.id}${created.brand ? ` for brand "${created.brand}"` : ' for every brand'}.`);
          out.line(`API key (shown once, store it now): ${created.key}`);
          out.line('Send it as: Authorization: Bearer <key>');
        });
      });
    });
}
