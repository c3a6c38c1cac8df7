/**
 * Endpoints the WHMCS connector calls besides the hooks, signed with the brand's hook secret like the hook API
 * (core/http/signed-request.ts). Core knows no module: what needs module data (a client's privacy status, the
 * privacy center's sign-on link) lives in the modules' own root routes.
 *
 * POST /api/v1/connector/ping `{brand}` → `{ok, brand, suiteVersion, modules}`: the addon page's connection check
 * (the signature proves the hook secret; `modules` are those switched on for the brand).
 */
import { Router } from 'express';
import type { Kernel } from '../kernel';
import { asyncRoute } from './respond';
import { requireSignedBody } from './signed-request';

// The suite's own version, as the CLI reports it.
const SUITE_VERSION = (require('../../package.json') as { version: string }).version;

/** The connector's router. */
export function connectorRouter(kernel: Kernel): Router {
  const r = Router();
  r.post('/api/v1/connector/ping', ...requireSignedBody(kernel, 'connector.ping'), asyncRoute(async (req, res) => {
    const brand = req.brand!;
    const modules: string[] = [];
    for (const m of kernel.modules.list()) if (await kernel.modules.enabledFor(kernel.brands, brand, m.name)) modules.push(m.name);
    res.json({ ok: true, brand: brand.slug, suiteVersion: SUITE_VERSION, modules });
  }));
  return r;
}
