/** GET /rdap/domain/:name and GET /rdap/help at the site root (unauthenticated, application/rdap+json). */
import { domainToASCII } from 'node:url';
import type { Request, Response, Router } from 'express';
import type { Brand } from '../../core/brands/brand';
import { asyncRoute } from '../../core/http/respond';
import type { Kernel } from '../../core/kernel';
import type { DomainHolding, RegistrantService } from '../registrant/registrant-service';
import { domainAnswer, errorAnswer, helpAnswer } from './domain-response';
import { RDAP_MEDIA_TYPE } from './notices';
import type { RdapSettings } from './settings';

/** How far a holding is at the registry: a registered name outranks one being registered or moved; anything else last. */
const STANDING: Record<string, number> = { registered: 3, renewed: 3, suspended: 3, registering: 2, transferring: 2 };

function send(res: Response, status: number, body: Record<string, unknown>): void {
  res.status(status).set('Content-Type', `${RDAP_MEDIA_TYPE}; charset=utf-8`).set('Access-Control-Allow-Origin', '*').send(JSON.stringify(body));
}

function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** The LDH form of a queried name (lower case, A-labels, no trailing dot), or undefined when it is not a domain name. */
export function ldhName(raw: string): string | undefined {
  const name = domainToASCII(raw.trim().replace(/\.$/, '')).toLowerCase();
  if (!name || name.length > 253) return undefined;
  const labels = name.split('.');
  if (labels.length < 2) return undefined;
  return labels.every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l)) ? name : undefined;
}

/** The brand whose record of the name is answered: among brands with RDAP and registrant on, the one where it is active. */
async function activeHolding(kernel: Kernel, holdings: DomainHolding[]): Promise<{ brand: Brand; holding: DomainHolding } | undefined> {
  const candidates: { brand: Brand; holding: DomainHolding }[] = [];
  for (const h of holdings) {
    const brand = await kernel.brands.getById(h.brandId);
    if (!(await kernel.modules.enabledFor(kernel.brands, brand, 'rdap'))) continue;
    if (!(await kernel.modules.enabledFor(kernel.brands, brand, 'registrant'))) continue;
    candidates.push({ brand, holding: h });
  }
  candidates.sort((a, b) => (STANDING[b.holding.status] ?? 0) - (STANDING[a.holding.status] ?? 0) || b.holding.updatedAt - a.holding.updatedAt);
  return candidates[0];
}

export function rdapRoutes(r: Router, kernel: Kernel): void {
  r.get('/rdap/help', (req, res) => send(res, 200, helpAnswer(baseUrl(req))));

  r.get('/rdap/domain/:name', asyncRoute(async (req, res) => {
    const name = ldhName(String(req.params.name));
    if (!name) return send(res, 400, errorAnswer(400, 'Bad Request', ['The query is not a valid domain name.']));
    const registrant = kernel.service<RegistrantService>('registrant');
    const found = await activeHolding(kernel, await registrant.holdings(name));
    const data = found ? await registrant.registrationData(found.brand.id, name) : undefined;
    if (!found || !data) return send(res, 404, errorAnswer(404, 'Not Found', [`The domain ${name} is not registered through this registrar.`]));
    const settings = await kernel.settings<RdapSettings>('rdap', found.brand);
    const profile = await kernel.brands.profile(found.brand);
    res.set('Cache-Control', 'no-store');
    send(res, 200, domainAnswer({ kernel, brand: found.brand, settings, baseUrl: baseUrl(req), controllerEmail: profile.controller?.email }, data));
  }));

  r.get('/rdap/*', (_req, res) => send(res, 501, errorAnswer(501, 'Not Implemented', ['This RDAP service answers domain and help queries only.'])));
}
