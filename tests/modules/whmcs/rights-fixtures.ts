/** Shared by the rights-over-WHMCS tests: a suite, a WHMCS API stand-in, brands that write back to it, known clients, requests. */
import { drainOutbox, postHook, startTestSuite, type TestSuite } from '../../helpers/test-suite';
import { unzip, type Unzipped } from '../../helpers/unzip';
import { WhmcsApiStandin, type StandinHook } from '../../helpers/whmcs-api-standin';
import { adminKey, RIGHTS_PROFILE, fulfilRequest, rightsBrand, type Json } from '../rights/fixtures';

export const WHMCS_RECIPIENT = { code: 'whmcs', name: 'WHMCS billing panel', kind: 'hosting', purposes: ['legal'], categories: ['contact', 'billing', 'usage', 'correspondence'] };

/** A running suite and stand-in with brands `slugs` writing back to it (API secret in the environment; `profile` added to theirs). */
export class WhmcsRightsFixture {
  readonly whmcs = new WhmcsApiStandin();
  readonly fired: StandinHook[] = [];
  t!: TestSuite;
  key = '';
  readonly secrets: Record<string, string> = {};

  async start(slugs: string[], config: Record<string, unknown> = {}, profile: Record<string, unknown> = {}): Promise<void> {
    await this.whmcs.start();
    this.whmcs.onHook = (h) => { this.fired.push(h); };
    process.env.SUITE_WHMCS_API_SECRET = this.whmcs.secret;
    this.t = await startTestSuite({ config: { outboxBaseDelayMs: 5, outboxMaxAttempts: 3, ...config } });
    this.key = await adminKey(this.t.suite);
    for (const slug of slugs) {
      this.secrets[slug] = await rightsBrand(this.t.suite, slug, {
        recipients: [...RIGHTS_PROFILE.recipients, WHMCS_RECIPIENT],
        modules: { whmcs: { enabled: true, apiUrl: this.whmcs.url, identifier: this.whmcs.identifier, timeoutSeconds: 5 } },
        ...profile,
      });
    }
  }

  async stop(): Promise<void> {
    delete process.env.SUITE_WHMCS_API_SECRET;
    await this.t?.close();
    await this.whmcs.stop();
  }

  brandId = async (slug: string): Promise<number> => (await this.t.suite.kernel.brands.get(slug)).id;

  /** A WHMCS client the suite knows (reported with ClientAdd, its contacts with ContactAdd). */
  async knownClient(slug: string, contacts = 0): Promise<{ clientId: number; subjectId: number; contactIds: number[]; contactSubjectIds: number[] }> {
    const c = this.whmcs.addClient();
    const add = await postHook(this.t.baseUrl, 'ClientAdd', this.secrets[slug], {
      brand: slug, vars: { client_id: c.id, userid: c.id, firstname: c.firstname, lastname: c.lastname, email: c.email, address1: c.address1, city: c.city, postcode: c.postcode, country: c.country, phonenumber: c.phonenumber },
    });
    if (add.status !== 200) throw new Error(`ClientAdd answered ${add.status}`);
    const brandId = await this.brandId(slug);
    const contactIds: number[] = [];
    const contactSubjectIds: number[] = [];
    for (let i = 0; i < contacts; i++) {
      const k = this.whmcs.addContact(c.id);
      const r = await postHook(this.t.baseUrl, 'ContactAdd', this.secrets[slug], { brand: slug, vars: { userid: c.id, contactid: k.id, firstname: k.firstname, lastname: k.lastname, email: k.email } });
      if (r.status !== 200) throw new Error(`ContactAdd answered ${r.status}`);
      contactIds.push(k.id);
      contactSubjectIds.push((await this.t.suite.kernel.subjects.findByExternal(brandId, 'contact', k.id))!.id);
    }
    const subject = (await this.t.suite.kernel.subjects.findByExternal(brandId, 'client', c.id))!;
    return { clientId: c.id, subjectId: subject.id, contactIds, contactSubjectIds };
  }

  /** Opens a verified request of `type` and fulfils it; answers the fulfilled request. */
  fulfil(slug: string, body: Json): Promise<Json> {
    return fulfilRequest(this.t.baseUrl, this.key, slug, body);
  }

  /** The access request's zip, downloaded once. */
  async exportZip(slug: string, subjectId: number): Promise<{ request: Json; zip: Unzipped }> {
    const request = await this.fulfil(slug, { type: 'access', subjectId });
    const res = await fetch(`${this.t.baseUrl}${request.result.url}`);
    if (res.status !== 200) throw new Error(`download answered ${res.status}`);
    return { request, zip: unzip(Buffer.from(await res.arrayBuffer())) };
  }

  drain = async (slug: string): Promise<void> => drainOutbox(this.t.suite, { brandId: await this.brandId(slug) });
}

/** An entry of the zip as text (naming what the zip holds when it is missing). */
export function entry(zip: Unzipped, name: string): string {
  const b = zip.get(name);
  if (!b) throw new Error(`${name} missing from the zip (has ${[...zip.keys()].join(', ')})`);
  return b.toString('utf8');
}
