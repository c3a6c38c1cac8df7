/** Shared fixtures for the platform tests: sample people, a hook recorder module and switchable pre-hook answers. */
import { defineModule, onHook, type AnyHookAction, type HookAnswer } from '../../../core/modules/define-module';
import { defineBinding, type BindingDefinition } from '../../../hooks/define-binding';
import type { HookName } from '../../../hooks/catalogue';
import { INSTALLED_MODULES } from '../../../modules/installed';
import { DEFAULT_BINDINGS } from '../../../hooks/bindings';
import type { SuiteOptions } from '../../../core/suite';
import type { Suite } from '../../../core/suite';
import type { PlatformService } from '../../../modules/platform';

/** A client's sign-up details (synthetic, example.org). */
export function person(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    firstname: 'Ada', lastname: `Lovelace${n}`, email: `ada.${n}@example.org`, address1: '12 Analytical Row', city: 'Marylebone',
    postcode: 'NW1 6XE', country: 'GB', phonenumber: '020 7946 0018', password: `correct horse battery ${n}`, accepttos: true, ...extra,
  };
}

/** A cart with one hosting service and one domain. */
export function cart(n: number): unknown[] {
  return [
    { type: 'hosting', product: 'Shared Hosting', domain: `lovelace${n}.test`, amount: 7.5 },
    { type: 'domain', name: `lovelace${n}.test`, regperiod: 2, idprotection: true, amount: 12 },
  ];
}

/** Every hook the recorder listens to, with what it saw (hook name and vars) in call order. */
export const seen: { hook: HookName; vars: Record<string, unknown> }[] = [];

/** What the test pre-hook handlers answer next, per hook (empty: no answer). */
export const answers: Partial<Record<HookName, HookAnswer>> = {};

const RECORDED: HookName[] = [
  'ClientDetailsValidation', 'ClientAdd', 'ClientEdit', 'ContactAdd', 'ShoppingCartValidateCheckout', 'AfterShoppingCartCheckout', 'InvoiceCreated', 'InvoicePaid',
  'PreRegistrarRegisterDomain', 'AfterRegistrarRegistration', 'CancellationRequest', 'ClientClose', 'PreDeleteClient', 'AbuseComplaint',
];

const actions: Record<string, AnyHookAction> = {};
const bindings: BindingDefinition[] = [];
for (const hook of RECORDED) {
  actions[`record${hook}`] = onHook(hook, async (ctx) => {
    seen.push({ hook, vars: JSON.parse(JSON.stringify(ctx.vars)) });
    const answer = answers[hook];
    if (answer?.errors?.length) {
      // A write inside the transaction, to prove the veto rolls it back too.
      await ctx.kernel.audit.record({ brandId: ctx.brand.id, actor: { type: 'hook', id: 'test' }, action: 'test.before-veto' }, ctx.trx);
    }
    return answer;
  }) as AnyHookAction;
  bindings.push(defineBinding({ id: `test-record-${hook.toLowerCase()}`, hook, module: 'test-recorder', action: `record${hook}`, priority: 50, enabledByDefault: true, description: 'test' }));
}

/** A test-only module that records every lifecycle hook and answers pre hooks as `answers` says. */
export const recorderModule = defineModule({ name: 'test-recorder', version: '0.0.0', type: 'addon', description: 'test', hooks: actions, storesPersonalData: false });

/** Suite options with the installed modules plus the recorder. */
export function withRecorder(): SuiteOptions {
  return { modules: [...INSTALLED_MODULES, recorderModule], bindings: [...DEFAULT_BINDINGS, ...bindings] };
}

/** The platform service of a suite. */
export function platformOf(suite: Suite): PlatformService {
  const p = suite.kernel.service<PlatformService>('platform');
  // Orders accept the terms unless a test says otherwise: the consent module refuses checkout without them (MS-2 / SP-3).
  const order: PlatformService['order'] = (clientId, items, checkoutVars = {}, context) => p.order(clientId, items, { accepttos: true, ...checkoutVars }, context);
  return Object.assign(Object.create(p) as PlatformService, { order });
}

/** The platform_ tables that exist right now. */
export async function platformTables(suite: Suite): Promise<string[]> {
  const db = suite.kernel.db;
  const rows = db.client.config.client === 'better-sqlite3'
    ? ((await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'platform\\_%' ESCAPE '\\'")) as { name: string }[])
    : ((await db.raw("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 'platform\\_%'")) as unknown as [{ name: string }[]])[0];
  return rows.map((r) => r.name).sort();
}
