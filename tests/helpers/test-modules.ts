/** Test-only modules and bindings for exercising the dispatcher: they write marker rows, veto, change vars or fail. */
import { z } from 'zod';
import { defineModule, onHook } from '../../core/modules/define-module';
import { defineBinding } from '../../hooks/define-binding';
import type { Migration } from '../../core/db/migrator';

const markers: Migration = {
  name: '202611230500-create-probe-markers',
  async up(db) {
    await db.schema.createTable('probe_markers', (t) => {
      t.increments('id');
      t.string('hook', 64).notNullable();
      t.string('step', 64).notNullable();
      t.string('note', 190).nullable();
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists('probe_markers');
  },
};

/** A module whose actions record the order they ran in, veto checkout, change vars, or throw. */
export const probeModule = defineModule({
  name: 'probe',
  version: '0.0.1',
  type: 'addon',
  description: 'test probe',
  settings: z.object({ vetoMessage: z.string().default('Terms must be accepted') }),
  migrations: [markers],
  storesPersonalData: false,
  hooks: {
    firstMark: onHook('ShoppingCartValidateCheckout', async (ctx) => {
      await ctx.trx('probe_markers').insert({ hook: ctx.hook, step: 'first', note: ctx.vars.firstname ?? null });
      ctx.vars.firstname = 'Changed';
    }),
    veto: onHook('ShoppingCartValidateCheckout', async (ctx) => {
      await ctx.trx('probe_markers').insert({ hook: ctx.hook, step: 'veto', note: ctx.vars.firstname ?? null });
      if (!ctx.vars.accepttos) return { errors: [(ctx.settings as { vetoMessage: string }).vetoMessage] };
    }),
    lastMark: onHook('ShoppingCartValidateCheckout', async (ctx) => {
      await ctx.trx('probe_markers').insert({ hook: ctx.hook, step: 'last', note: ctx.vars.firstname ?? null });
    }),
    afterBoom: onHook('ClientAdd', async (ctx) => {
      await ctx.trx('probe_markers').insert({ hook: ctx.hook, step: 'boom-before-throw' });
      throw new Error('probe failure');
    }),
    afterMark: onHook('ClientAdd', async (ctx) => {
      await ctx.trx('probe_markers').insert({ hook: ctx.hook, step: 'after-ok' });
    }),
    abortRegistration: onHook('PreRegistrarRegisterDomain', () => ({ abortWithError: 'Registrant contact incomplete' })),
  },
});

/** Bindings for the probe: priorities chosen so the order is first → veto → last. */
export const probeBindings = [
  defineBinding({ id: 'probe-last', hook: 'ShoppingCartValidateCheckout', module: 'probe', action: 'lastMark', priority: 30, enabledByDefault: true, description: 'last' }),
  defineBinding({ id: 'probe-first', hook: 'ShoppingCartValidateCheckout', module: 'probe', action: 'firstMark', priority: 10, enabledByDefault: true, description: 'first' }),
  defineBinding({ id: 'probe-veto', hook: 'ShoppingCartValidateCheckout', module: 'probe', action: 'veto', priority: 20, enabledByDefault: true, description: 'veto' }),
  defineBinding({ id: 'probe-after-boom', hook: 'ClientAdd', module: 'probe', action: 'afterBoom', priority: 5, enabledByDefault: true, description: 'fails' }),
  defineBinding({ id: 'probe-after-ok', hook: 'ClientAdd', module: 'probe', action: 'afterMark', priority: 50, enabledByDefault: true, description: 'ok' }),
  defineBinding({ id: 'probe-abort-registration', hook: 'PreRegistrarRegisterDomain', module: 'probe', action: 'abortRegistration', priority: 10, enabledByDefault: false, description: 'abort' }),
];
