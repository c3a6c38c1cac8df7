/** Mounts each module's routes behind a brand gate: a module switched off for a brand answers 404 there. */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { SuiteError } from '../errors';
import type { Kernel } from '../kernel';
import type { ApiKeys } from '../apikeys/api-keys';
import { assertBrandAccess } from '../apikeys/api-keys';
import { requireApiKey } from './admin-auth';
import { jsonBody } from './body';

declare module 'express-serve-static-core' {
  interface Request { brand?: import('../brands/brand').Brand }
}

function brandGate(kernel: Kernel, module: string, admin: boolean) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    (async () => {
      const brand = await kernel.brands.get(req.params.brand);
      if (admin) assertBrandAccess(req.principal!, brand.id);
      if (!(await kernel.modules.enabledFor(kernel.brands, brand, module))) throw new SuiteError('SUITE_MODULE_DISABLED', { module, brand: brand.slug });
      req.brand = brand;
    })().then(() => next(), next);
  };
}

/** Client routes under /b/:brand/<module>/, admin routes under /api/v1/admin/brands/:brand/modules/<module>/. */
export function moduleRouter(kernel: Kernel, keys: ApiKeys): Router {
  const root = express.Router();
  for (const m of kernel.modules.list()) {
    if (m.routes?.root) {
      const r = express.Router();
      m.routes.root(r, kernel);
      root.use(r);
    }
    if (m.routes?.client) {
      const r = express.Router({ mergeParams: true });
      m.routes.client(r, kernel);
      root.use(`/b/:brand/${m.name}`, brandGate(kernel, m.name, false), r);
    }
    if (m.routes?.admin) {
      const r = express.Router({ mergeParams: true });
      m.routes.admin(r, kernel);
      root.use(`/api/v1/admin/brands/:brand/modules/${m.name}`, jsonBody(), requireApiKey(kernel, keys), brandGate(kernel, m.name, true), r);
    }
  }
  return root;
}
