/** `brand create|list|rotate-secret`: the set-up commands a script needs to add storefronts and hand secrets to panels. */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Brand } from '../../brands/brand';
import type { Suite } from '../../suite';
import { CliUsageError } from '../cli-errors';
import { cliActor, outputFor, withSuite } from '../context';
import { iso } from '../output';

/** Reads a profile document from a JSON file. */
export function readProfileFile(file: string): Record<string, unknown> {
  if (/\.ya?ml$/i.test(file)) throw new CliUsageError(`${file}: the CLI reads JSON profiles; convert the YAML file to JSON (same structure) and try again`);
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(file), 'utf8');
  } catch (err) {
    throw new CliUsageError(`cannot read the profile file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new CliUsageError(`the profile file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new CliUsageError(`the profile file ${file} must hold one JSON object`);
  return doc as Record<string, unknown>;
}

async function describe(suite: Suite, b: Brand): Promise<Record<string, unknown>> {
  const parent = b.parentId === null ? null : (await suite.kernel.brands.getById(b.parentId)).slug;
  return { id: b.id, slug: b.slug, name: b.name, kind: b.kind, parent, createdAt: iso(b.createdAt) };
}

/** Registers `brand` and its subcommands. */
export function registerBrand(program: Command): void {
  const brand = program.command('brand').description('Create and list brands (storefronts) and rotate their hook secrets.');

  brand.command('create <slug>')
    .description('Create a brand and print it with its hook secret (shown once; the panel signs hook calls with it). A brand with --parent is a reseller brand and its profile must name its own data controller.')
    .requiredOption('--name <name>', 'display name of the brand')
    .option('--parent <slug>', 'the provider brand this reseller brand sells under')
    .option('--profile <file>', 'privacy profile as a JSON file (at least "controller": {name, email}); layered over the parent\'s')
    .option('--json', 'print the result as JSON')
    .action(async (slug: string, opts: { name: string; parent?: string; profile?: string; json?: boolean }) => {
      const out = outputFor(opts);
      const profile = opts.profile ? readProfileFile(opts.profile) : undefined;
      await withSuite(async (suite) => {
        const { brand: b, hookSecret } = await suite.kernel.brands.create({ slug, name: opts.name, parent: opts.parent, profile }, cliActor());
        const described = await describe(suite, b);
        out.result({ brand: described, hookSecret }, () => {
          out.line(`Created ${b.kind} brand "${b.slug}" (id ${b.id})${described.parent ? ` under "${described.parent}"` : ''}.`);
          out.line(`Hook secret (shown once; put it in the panel module's settings): ${hookSecret}`);
        });
      });
    });

  brand.command('list')
    .description('List every brand (providers first) with its kind and parent. Never prints secrets.')
    .option('--json', 'print the brands as a JSON array')
    .action(async (opts: { json?: boolean }) => {
      const out = outputFor(opts);
      await withSuite(async (suite) => {
        const rows: Record<string, unknown>[] = [];
        for (const b of await suite.kernel.brands.list()) rows.push(await describe(suite, b));
        out.result(rows, () => {
          if (rows.length === 0) out.line('No brands yet: privacy-suite brand create <slug> --name <name> --profile <file.json>, or privacy-suite demo.');
          else out.table(rows, ['slug', 'name', 'kind', 'parent', 'id', 'createdAt']);
        });
      });
    });

  brand.command('rotate-secret <slug>')
    .description('Issue a new hook secret for a brand and print it. The old secret keeps working for a grace period (SUITE_SECRET_GRACE_SECONDS, default 1 day) so the panel can be switched without lost events.')
    .option('--json', 'print the result as JSON')
    .action(async (slug: string, opts: { json?: boolean }) => {
      const out = outputFor(opts);
      await withSuite(async (suite) => {
        const { hookSecret, previousValidUntil } = await suite.kernel.brands.rotateSecret(slug, cliActor());
        out.result({ brand: slug, hookSecret, previousValidUntil: iso(previousValidUntil) }, () => {
          out.line(`New hook secret for "${slug}" (shown once): ${hookSecret}`);
          out.line(`The previous secret keeps working until ${iso(previousValidUntil)}; update the panel before then.`);
        });
      });
    });
}
