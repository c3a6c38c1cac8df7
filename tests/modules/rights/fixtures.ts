/** Shared fixtures for the rights tests: a brand with a profile, an admin key, signed-up customers and admin calls. */
import type { Suite } from '../../../core/suite';
import type { PlatformService } from '../../../modules/platform';
import { createBrand, PROVIDER_PROFILE } from '../../helpers/test-suite';

/** A provider profile with the registers the rights module's flows use (email notices, authority, a partner). */
export const RIGHTS_PROFILE = {
  ...PROVIDER_PROFILE,
  purposes: [
    { code: 'service', description: 'Providing the service', legalBasis: 'contract' },
    { code: 'billing', description: 'Invoicing', legalBasis: 'legal-obligation' },
    { code: 'legal', description: 'Legal obligations and claims', legalBasis: 'legal-obligation' },
    { code: 'marketing', description: 'Newsletters', legalBasis: 'consent', requiresConsent: true },
    { code: 'co-marketing', description: 'Joint offers with partners', legalBasis: 'consent', requiresConsent: true },
    { code: 'domain-registration', description: 'Registering domains', legalBasis: 'contract' },
  ],
  recipients: [
    { code: 'email', name: 'Mail relay', kind: 'email', purposes: ['service', 'marketing', 'legal'], categories: ['contact'] },
    { code: 'authority', name: 'Public authorities on legal request', kind: 'authority', purposes: ['legal'], categories: ['contact', 'billing', 'usage'] },
    { code: 'partner', name: 'Co-marketing partner', kind: 'partner', purposes: ['co-marketing'], categories: ['contact'] },
  ],
};

/** Creates a brand with the rights profile (plus `extra`, shallow-merged) and returns its hook secret. */
export function rightsBrand(suite: Suite, slug: string, extra: Record<string, unknown> = {}, parent?: string): Promise<string> {
  return createBrand(suite, slug, { parent, profile: { ...RIGHTS_PROFILE, ...extra } });
}

/** An owner API key (or one scoped to `brand` with `role`). */
export async function adminKey(suite: Suite, role: 'owner' | 'admin' | 'reseller' | 'auditor' = 'owner', brand?: string): Promise<string> {
  return (await suite.apiKeys.create({ role, brand }, { type: 'cli', id: 'test' })).key;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers are read field by field in assertions
export type Json = Record<string, any>;

/** Calls a rights admin route of `brand` and returns status and body. */
export async function rightsCall(baseUrl: string, key: string, brand: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${baseUrl}/api/v1/admin/brands/${brand}/modules/rights${path}`, {
    method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

/** Opens a manually verified request (`body`: type, subjectId, …) of `brand` through the admin API and fulfils it; answers the fulfilled request. */
export async function fulfilRequest(baseUrl: string, key: string, brand: string, body: Json): Promise<Json> {
  const call = (method: string, path: string, b?: unknown) => rightsCall(baseUrl, key, brand, method, path, b);
  const open = await call('POST', '/requests', { ...body, verified: 'manual' });
  if (open.status !== 201) throw new Error(`request answered ${open.status}: ${JSON.stringify(open.body)}`);
  if (body.type === 'access') await call('POST', `/requests/${open.body.request.id}/verify`, { method: 'manual' });
  const done = await call('POST', `/requests/${open.body.request.id}/fulfil`);
  if (done.status !== 200) throw new Error(`fulfil answered ${done.status}: ${JSON.stringify(done.body)}`);
  return done.body.request;
}

/** Signs a customer up through the reference platform; returns the client id and inventory subject id. */
export async function signUp(suite: Suite, brand: string, n: number, extra: Record<string, unknown> = {}): Promise<{ clientId: number; subjectId: number }> {
  const platform = suite.kernel.service<PlatformService>('platform');
  const r = await platform.signUp(brand, {
    firstname: 'Ada', lastname: `Lovelace${n}`, email: `ada.${n}@example.org`, address1: '12 Analytical Row', city: 'Marylebone',
    postcode: 'NW1 6XE', country: 'GB', phonenumber: '+44.2079460018', password: `correct horse battery ${n}`, accepttos: true, ...extra,
  });
  return { clientId: r.clientId, subjectId: r.subjectId! };
}
