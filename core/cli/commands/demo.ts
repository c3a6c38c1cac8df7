/** `demo`: creates the demo brands (one per seed policy) and fills them with synthetic customers via scripts/demo. */
import type { Command } from 'commander';
import type { Suite } from '../../suite';
import { CliUsageError } from '../cli-errors';
import { cliActor, outputFor, withSuite } from '../context';
import { wholeNumber } from '../parse';

/** What scripts/demo/index.ts exports (loaded lazily, so the CLI works without it). */
interface DemoScript {
  runDemo: (suite: Suite, opts: { customersPerBrand?: number; onProgress?: (...args: unknown[]) => void }) => Promise<unknown>;
}

const DEMO_PATH = '../../../scripts/demo';

function loadDemo(): DemoScript {
  let mod: Partial<DemoScript>;
  try {
    mod = require(DEMO_PATH) as Partial<DemoScript>;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'MODULE_NOT_FOUND' && e.message.split('\n')[0].includes('scripts/demo')) {
      throw new CliUsageError('the demo is not installed (scripts/demo/index.ts is missing)');
    }
    throw err;
  }
  if (typeof mod.runDemo !== 'function') throw new CliUsageError('scripts/demo/index.ts does not export runDemo(suite, options)');
  return mod as DemoScript;
}

/** Replaces every value under a key that names a secret, so human output never shows hook secrets by accident. */
export function hideSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hideSecrets);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, /secret/i.test(k) && typeof v === 'string' ? '[hidden: add --show-secrets]' : hideSecrets(v)]));
}

function describeProgress(args: unknown[]): string {
  return args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
}

/** Registers `demo`. */
export function registerDemo(program: Command): void {
  program.command('demo')
    .description('Create the demo brands (masterserver, websoftmaster with websoftmaster-reseller, server-pro, tos-provider, email-server-management), one per seed policy, and fill them with synthetic customers through the reference platform. Hook secrets are printed only with --json or --show-secrets.')
    .option('--customers <n>', 'synthetic customers per brand', wholeNumber(0))
    .option('--show-secrets', 'print the brands\' hook secrets in the human output')
    .option('--json', 'print the result as JSON, hook secrets included (progress goes to stderr)')
    .action(async (opts: { customers?: number; showSecrets?: boolean; json?: boolean }) => {
      const out = outputFor(opts);
      const demo = loadDemo();
      await withSuite(async (suite) => {
        const result = await demo.runDemo(suite, { customersPerBrand: opts.customers, onProgress: (...args) => out.progress(describeProgress(args)) });
        await suite.kernel.audit.record({ actor: cliActor(), action: 'demo.load', details: { customersPerBrand: opts.customers ?? null } });
        out.result(result ?? { ok: true }, () => {
          const brands = (result as { brands?: unknown } | undefined)?.brands;
          if (Array.isArray(brands)) {
            const columns = ['slug', 'created', 'customers', 'services', 'domains', 'invoices', ...(opts.showSecrets ? ['hookSecret'] : [])];
            out.table(brands as Record<string, unknown>[], columns);
            const totals = (result as { totals?: unknown }).totals;
            if (totals) out.line(`Totals: ${Object.entries(totals).map(([k, v]) => `${k} ${String(v)}`).join(', ')}`);
          } else out.line(JSON.stringify(opts.showSecrets ? result : hideSecrets(result), null, 2));
          if (!opts.showSecrets && JSON.stringify(result ?? {}).includes('"hookSecret"')) {
            out.line('The new brands\' hook secrets are not shown (--show-secrets or --json would); privacy-suite brand rotate-secret <slug> issues a new one.');
          }
          out.line('Demo loaded. Start the server with npm start; privacy-suite brand list shows the brands.');
          out.line('The admin panel is at /admin: privacy-suite user create --email you@example.com --role owner makes its first user (password from stdin).');
        });
      });
    });
}
