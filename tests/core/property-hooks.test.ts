/**
 * Property: every hook in the catalogue, called (signed correctly) with arbitrary and adversarial variables, never
 * answers a 5xx, and a call it refuses (4xx) writes nothing (every table's content unchanged). Runs on both engines;
 * FC_SEED=<n> replays a run, FC_RUNS=<n> scales it (100 = as committed).
 */
import fc from 'fast-check';
import { signHook } from '../../core/http/signature';
import { HOOKS, type HookName } from '../../hooks/catalogue';
import { changedTables, digest, fcParams, mutated, nastyString, nastyValue, objectOf } from '../helpers/adversarial';
import { startTestSuite, type TestSuite } from '../helpers/test-suite';
import { registrantBrand, whmcsParams } from '../modules/registrant/fixtures';

jest.setTimeout(60_000);

let t: TestSuite;
let secret: string;
let state: Record<string, string>;

beforeAll(async () => {
  t = await startTestSuite();
  secret = await registrantBrand(t.suite, 'shop');
  state = await digest(t.suite);
});
afterAll(() => t.close());

/** Realistic variables per hook, which the arbitraries then vary (so accepted calls reach deep into the handlers). */
const client = { client_id: 1, userid: 1, firstname: 'Ada', lastname: 'Lovelace', email: 'ada1@example.org', country: 'GB', address1: '12 Analytical Row', city: 'London', postcode: 'NW1 6XE', phonenumber: '+44.2079460018' };
const REALISTIC: Partial<Record<HookName, Record<string, unknown>>> = {
  ClientAdd: client, ClientEdit: client, ClientDetailsValidation: { ...client, accepttos: true }, ClientClose: { userid: 1 },
  ContactAdd: { ...client, contactid: 2 }, ContactEdit: { ...client, contactid: 2 }, ContactDelete: { userid: 1, contactid: 2 },
  PreRegistrarRegisterDomain: { params: whmcsParams(1, 'lovelace', 'com') }, PreRegistrarTransferDomain: { params: whmcsParams(1, 'babbage', 'net') },
  AfterRegistrarRegistration: { params: whmcsParams(1, 'lovelace', 'com') }, AfterRegistrarRenewal: { params: whmcsParams(1, 'lovelace', 'com') },
  AfterRegistrarTransfer: { params: whmcsParams(1, 'babbage', 'net') }, InvoicePaid: { invoiceid: 1, userid: 1 }, InvoiceCreated: { invoiceid: 1, userid: 1 },
  DataSubjectRequest: { userid: 1, type: 'access', email: 'ada1@example.org' }, NewsletterSignup: { email: 'ada1@example.org' },
};

const context = fc.oneof(
  { weight: 4, arbitrary: fc.record({ ip: fc.oneof(fc.ipV4(), fc.ipV6()), userAgent: fc.string({ maxLength: 40 }), locale: fc.constantFrom('en', 'de', 'ar', 'fr-CA', 'xx'), gpc: fc.boolean() }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.record({ ip: nastyString, userAgent: nastyString, locale: nastyString, gpc: nastyValue }, { requiredKeys: [] }) },
);

function varsOf(hook: HookName): fc.Arbitrary<unknown> {
  const real = REALISTIC[hook];
  return fc.oneof(
    { weight: 4, arbitrary: objectOf(HOOKS[hook].vars, 0, false) },
    { weight: 3, arbitrary: objectOf(HOOKS[hook].vars) },
    ...(real ? [{ weight: 4, arbitrary: mutated(real) as fc.Arbitrary<unknown> }] : []),
    { weight: 1, arbitrary: nastyValue },
  );
}

async function call(hook: string, body: unknown, idem?: string): Promise<{ status: number; text: string }> {
  const raw = JSON.stringify(body);
  const ts = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-suite-timestamp': String(ts), 'x-suite-signature': signHook(secret, ts, raw) };
  if (idem !== undefined) headers['idempotency-key'] = idem;
  const res = await fetch(`${t.baseUrl}/api/v1/hooks/${hook}`, { method: 'POST', headers, body: raw });
  return { status: res.status, text: await res.text() };
}

describe('every hook, arbitrary variables', () => {
  it.each(Object.keys(HOOKS) as HookName[])('%s: never a 5xx; a refused call writes nothing', async (hook) => {
    const idem = fc.option(fc.oneof({ weight: 5, arbitrary: fc.stringMatching(/^[\x21-\x7e]{1,40}$/) }, { weight: 1, arbitrary: fc.stringMatching(/^[\x21-\x7e]{0,200}$/) }), { nil: undefined, freq: 4 });
    await fc.assert(fc.asyncProperty(varsOf(hook), fc.option(context, { nil: undefined }), idem, async (vars, ctx, key) => {
      const body = ctx === undefined ? { brand: 'shop', vars } : { brand: 'shop', vars, context: ctx };
      const r = await call(hook, body, key);
      if (r.status >= 500) throw new Error(`${hook} answered ${r.status}: ${r.text.slice(0, 300)}`);
      const after = await digest(t.suite);
      const changed = changedTables(state, after);
      state = after;
      if (r.status >= 400 && changed.length) throw new Error(`${hook} answered ${r.status} but wrote ${changed.join(', ')}: ${r.text.slice(0, 300)}`);
    }), fcParams(25));
  });
});
