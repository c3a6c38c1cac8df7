/**
 * Issue 15 point 8: the catalogue matches what WHMCS really sends. Walks spec/whmcs/hooks.json: for every catalogued
 * WHMCS hook, every documented variable is accepted, and every accepted variable is documented or a declared
 * connector addition (with where the connector takes it from).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { HOOKS, hookSpecOf, type HookName } from '../../hooks/catalogue';
import { DEFAULT_BINDINGS } from '../../hooks/bindings';

interface Documented { group: string; parameters: { name: string; type: string; notes: string }[] }
const WHMCS = JSON.parse(fs.readFileSync(path.join(__dirname, '../../spec/whmcs/hooks.json'), 'utf8')) as Record<string, Documented>;

/** The object schema under a hook's vars (ClientAdd's is refined). */
function shapeOf(name: HookName): Record<string, z.ZodTypeAny> {
  let s: z.ZodTypeAny = hookSpecOf(name).vars;
  while (s instanceof z.ZodEffects) s = s.innerType();
  return (s as z.ZodObject<z.ZodRawShape>).shape;
}

/** A documented name as a top-level variable: `email_preferences[general]` arrives as `email_preferences`. */
const topLevel = (n: string) => n.replace(/\[.*$/, '');

/** A value of a documented type, as PHP would send it. */
function sample(type: string): unknown {
  if (type === 'int') return '7';
  if (type === 'float') return '12.50';
  if (type === 'bool') return '1';
  if (type === 'array' || type === 'mixed' || type.startsWith('\\')) return {};
  return 'text';
}

const WHMCS_HOOKS = (Object.keys(HOOKS) as HookName[]).filter((h) => hookSpecOf(h).group !== 'suite');

describe('the hook catalogue against WHMCS\'s documented variables', () => {
  it('every catalogued WHMCS hook exists in hooks.json under the same group; suite-only hooks do not', () => {
    for (const h of WHMCS_HOOKS) {
      expect([h, WHMCS[h]?.group]).toEqual([h, hookSpecOf(h).group]);
    }
    for (const h of (Object.keys(HOOKS) as HookName[]).filter((x) => hookSpecOf(x).group === 'suite')) expect(WHMCS[h]).toBeUndefined();
  });

  it.each(WHMCS_HOOKS)('%s: every documented variable is accepted, every accepted one is documented or a declared connector addition', (h) => {
    const spec = hookSpecOf(h);
    const shape = shapeOf(h);
    const documented = WHMCS[h].parameters.map((p) => p.name).filter((n) => n !== 'N/A').map(topLevel);
    const additions = (spec.connector ?? []).map((c) => c.name);
    for (const c of spec.connector ?? []) expect(c.from.length).toBeGreaterThan(10);
    // Documented ⊆ accepted, and the catalogue names the documented ones as WHMCS's.
    for (const n of documented) {
      expect([h, n, n in shape]).toEqual([h, n, true]);
      expect(spec.whmcsVars).toContain(n);
    }
    // Additions are never WHMCS's own variables.
    for (const a of additions) expect([h, a, documented.includes(a)]).toEqual([h, a, false]);
    const posted = WHMCS[h].parameters.some((p) => p.name === 'N/A'); // ContactDetailsValidation: "the POSTed variables"
    for (const n of Object.keys(shape)) {
      const known = documented.includes(n) || additions.includes(n) || (posted && (spec.whmcsVars ?? []).includes(n));
      expect([h, n, known]).toEqual([h, n, true]);
    }
    expect(new Set([...(spec.whmcsVars ?? []), ...additions])).toEqual(new Set(Object.keys(shape)));
  });

  it.each(WHMCS_HOOKS.filter((h) => !WHMCS[h].parameters.some((p) => p.name === 'N/A')))('%s: a call with every documented variable, typed as WHMCS documents, validates', (h) => {
    const vars: Record<string, unknown> = {};
    for (const p of WHMCS[h].parameters) {
      const m = /^(\w+)\[(\w+)\]$/.exec(p.name);
      if (m) vars[m[1]] = { ...(vars[m[1]] as object), [m[2]]: sample(p.type) };
      else vars[p.name] = sample(p.type);
    }
    if (vars.email !== undefined) vars.email = 'ada@example.org';
    if (vars.country !== undefined) vars.country = 'GB';
    if (vars.params !== undefined) vars.params = { sld: 'example', tld: 'org', domainid: 3, userid: 7 };
    const res = hookSpecOf(h).vars.safeParse(vars);
    expect([h, res.success ? 'ok' : res.error.issues]).toEqual([h, 'ok']);
  });

  it('the connector additions are the contract names: terms and marketing from the forms, the client from the session or the order', () => {
    const names = (h: HookName) => (hookSpecOf(h).connector ?? []).map((c) => c.name).sort();
    expect(names('ShoppingCartValidateCheckout')).toEqual(['accepttos', 'date_of_birth', 'marketing_emails_opt_in', 'privacy_version_shown', 'terms_version_shown', 'userid']);
    expect(names('ClientDetailsValidation')).toEqual(['accepttos', 'date_of_birth', 'marketing_emails_opt_in', 'privacy_version_shown', 'terms_version_shown', 'userid']);
    expect(names('AfterShoppingCartCheckout')).toEqual(['accepttos', 'marketing_emails_opt_in', 'privacy_version_shown', 'terms_version_shown', 'userid']);
    expect(names('ClientAdd')).toEqual(['accepttos', 'language', 'privacy_version_shown', 'terms_version_shown']);
    expect(names('UserLogin')).toEqual(['userid']);
    expect(hookSpecOf('AfterShoppingCartCheckout').connector!.find((c) => c.name === 'userid')!.from).toMatch(/order/);
    expect(hookSpecOf('ClientDetailsValidation').connector!.find((c) => c.name === 'userid')!.from).toMatch(/session/);
  });

  it('every catalogued hook has a binding, but InvoiceCreated (no promise needs an unpaid invoice)', () => {
    // InvoicePaid and CancellationRequest record the invoice-paid and service-ended retention events (MS-9).
    const bound = new Set(DEFAULT_BINDINGS.map((b) => b.hook));
    expect((Object.keys(HOOKS) as HookName[]).filter((h) => !bound.has(h))).toEqual(['InvoiceCreated']);
  });
});
