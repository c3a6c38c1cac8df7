/** Shared set-up for the consent capture / marketing / unsubscribe / EmailPreSend / withdrawal tests. */
import crypto from 'node:crypto';
import type { Suite } from '../../../core/suite';
import { createBrand, postHook, PROVIDER_PROFILE } from '../../helpers/test-suite';
import type { ConsentService } from '../../../modules/consent/consent-service';

/** A brand with its hook secret and id. */
export interface TestBrand { slug: string; id: number; secret: string }

/** Creates a brand whose profile sets the given consent options. */
export async function consentBrand(suite: Suite, slug: string, consent: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<TestBrand> {
  const secret = await createBrand(suite, slug, { profile: { ...PROVIDER_PROFILE, consent, ...extra } });
  return { slug, id: (await suite.kernel.brands.get(slug)).id, secret };
}

/** Publishes a policy version in force since yesterday (written straight to the table). */
export async function publishTerms(suite: Suite, brandId: number, language: string, version: string, kind = 'terms'): Promise<number> {
  const body = `${kind} ${version} (${language})`;
  const day = 24 * 3600 * 1000;
  const [id] = await suite.kernel.db('consent_documents').insert({
    brand_id: brandId, kind, language, version, text_hash: crypto.createHash('sha256').update(body).digest('hex'), body, material: false,
    published_at: Date.now() - 2 * day, effective_at: Date.now() - day, created_by: 'test',
  });
  return Number(id);
}

/** The request context a panel passes with a customer's action. */
export const CONTEXT = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (consent test)', locale: 'en' };

/** A signed ClientAdd with WHMCS-shaped variables. */
export async function clientAdd(baseUrl: string, b: TestBrand, clientId: number, vars: Record<string, unknown> = {}, context: Record<string, unknown> = {}) {
  return postHook(baseUrl, 'ClientAdd', b.secret, {
    brand: b.slug,
    vars: { client_id: clientId, userid: clientId, firstname: 'Grace', lastname: 'Hopper', email: `grace${clientId}@example.org`, phonenumber: '+44 20 7946 0000', country: 'GB', password: 'plain-secret', ...vars },
    context: { ...CONTEXT, ...context },
  });
}

/** The inventory's subject id for a panel client. */
export async function subjectOf(suite: Suite, b: TestBrand, clientId: number): Promise<number> {
  const s = await suite.kernel.subjects.findByExternal(b.id, 'client', clientId);
  if (!s) throw new Error(`client ${clientId} not in the inventory`);
  return s.id;
}

/** A subject's consent ledger rows, oldest first. */
export async function ledgerOf(suite: Suite, subjectId: number): Promise<Record<string, unknown>[]> {
  return suite.kernel.db('consent_ledger').where({ subject_id: subjectId }).orderBy('seq');
}

/** The consent module's service. */
export function consentService(suite: Suite): ConsentService {
  return suite.kernel.service<ConsentService>('consent');
}

/** A date of birth `years` years ago (minus a day, so the birthday has passed). */
export function bornYearsAgo(years: number): string {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
