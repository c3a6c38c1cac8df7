/** `user create|list|disable`: admin panel users. The password is read from stdin or a hidden prompt, never from argv. */
import readline from 'node:readline';
import { Option, type Command } from 'commander';
import { Role } from '../../apikeys/roles';
import { AdminUsers, type AdminUser } from '../../users/admin-users';
import { CliUsageError } from '../cli-errors';
import { cliActor, outputFor, withSuite } from '../context';
import { iso } from '../output';

/** Reads the password: the first line of stdin when it is piped, otherwise a prompt that does not echo. */
export async function readPassword(input: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (!input.isTTY) {
    let text = '';
    for await (const chunk of input) text += String(chunk);
    const line = text.split(/\r?\n/)[0] ?? '';
    if (!line) throw new CliUsageError('no password on stdin: pipe it in (e.g. printf %s "$PASSWORD" | privacy-suite user create …)');
    return line;
  }
  const rl = readline.createInterface({ input, output: process.stderr, terminal: true });
  process.stderr.write('Password (not shown): ');
  // Echo nothing while the password is typed.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  if (!answer) throw new CliUsageError('no password given');
  return answer;
}

function describe(u: AdminUser): Record<string, unknown> {
  return {
    email: u.email, role: u.role, brand: u.brand, totp: u.totp, disabled: u.disabled, createdAt: iso(u.createdAt),
    lastLoginAt: iso(u.lastLoginAt), lockedUntil: u.lockedUntil !== null && u.lockedUntil > Date.now() ? iso(u.lockedUntil) : null,
  };
}

/** Registers `user` and its subcommands. */
export function registerUser(program: Command): void {
  const user = program.command('user').description('Admin panel users (log in at /admin): create, list, disable.');

  user.command('create')
    .description('Create an admin panel user. The password (at least 12 characters) is read from stdin when piped, otherwise prompted for; it is never an argument. Roles are the API keys\' (a reseller needs --brand). With --totp the otpauth:// URI for an authenticator app is printed once.')
    .requiredOption('--email <email>', 'the e-mail address the user logs in with')
    .addOption(new Option('--role <role>', 'what the user may do').choices(Role.options).makeOptionMandatory())
    .option('--brand <slug>', 'limit the user to this brand (and the brands below it)')
    .option('--totp', 'require a TOTP code (authenticator app) at log-in')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { email: string; role: string; brand?: string; totp?: boolean; json?: boolean }) => {
      const out = outputFor(opts);
      const password = await readPassword();
      await withSuite(async (suite) => {
        const users = new AdminUsers(suite.kernel);
        const { user: u, otpauthUri } = await users.create({ email: opts.email, password, role: opts.role, brand: opts.brand, totp: opts.totp }, cliActor());
        out.result({ ...describe(u), otpauthUri }, () => {
          out.line(`Created ${u.role} user ${u.email}${u.brand ? ` for brand "${u.brand}"` : ' for every brand'}. Log in at /admin.`);
          if (otpauthUri) out.line(`TOTP (shown once; add it to an authenticator app): ${otpauthUri}`);
        });
      });
    });

  user.command('list')
    .description('List admin panel users with role, brand, TOTP, state and last log-in. Never prints a hash or secret.')
    .option('--json', 'print the users as a JSON array')
    .action(async (opts: { json?: boolean }) => {
      const out = outputFor(opts);
      await withSuite(async (suite) => {
        const list = (await new AdminUsers(suite.kernel).list()).map(describe);
        out.result(list, () => out.table(list, ['email', 'role', 'brand', 'totp', 'disabled', 'lastLoginAt', 'lockedUntil']));
      });
    });

  user.command('disable <email>')
    .description('Disable a user: log-in is refused and their open sessions end at once.')
    .option('--json', 'print the result as JSON')
    .action(async (email: string, opts: { json?: boolean }) => {
      const out = outputFor(opts);
      await withSuite(async (suite) => {
        const u = await new AdminUsers(suite.kernel).disable(email, cliActor());
        out.result(describe(u), () => out.line(`Disabled ${u.email}; their sessions have ended.`));
      });
    });
}
