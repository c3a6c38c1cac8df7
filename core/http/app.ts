/** The express application: security headers, hook ingress, admin API, module routes (the customer-facing ones rate-limited per address), health. */
import type { RequestListener } from 'node:http';
import express, { type Express } from 'express';
import type { Kernel } from '../kernel';
import type { ApiKeys } from '../apikeys/api-keys';
import { hookRouter } from './hook-route';
import { adminRouter } from './admin-routes';
import { adminPagesRouter } from './admin-pages';
import { moduleRouter } from './module-routes';
import { errorHandler, SHUTTING_DOWN } from './respond';
import { securityHeaders } from './security-headers';
import { SuiteError } from '../errors';
import { createHookHandler, type HookHandler } from './hook-handler';
import { hookIngress } from './hook-ingress';
import { connectorRouter } from './connector-routes';
import { publicRateLimit } from './rate-limit';

/** Builds the app. `isDraining` lets graceful shutdown refuse new work with 503. */
export function createApp(kernel: Kernel, keys: ApiKeys, isDraining: () => boolean, hooks: HookHandler = createHookHandler(kernel)): Express {
  const app = express();
  app.disable('x-powered-by');
  if (kernel.config.trustProxy) app.set('trust proxy', true);
  app.use(securityHeaders());
  app.use((_req, res, next) => {
    if (isDraining()) {
      res.set('Connection', 'close');
      res.status(SHUTTING_DOWN.status).json(SHUTTING_DOWN.body);
      return;
    }
    next();
  });
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, modules: kernel.modules.list().map((m) => m.name), failures: kernel.modules.failures.length });
  });
  // The site root sends a browser to the admin panel (its log-in page when not logged in).
  app.get('/', (_req, res) => res.redirect(303, '/admin'));
  app.use(hookRouter(hooks));
  app.use(connectorRouter(kernel));
  app.use(adminPagesRouter(kernel));
  app.use(adminRouter(kernel, keys));
  // Every customer-facing endpoint under /b/:brand/ shares one per-address budget (SUITE_PUBLIC_RATE_PER_MINUTE), on
  // top of any tighter limit a route sets itself.
  app.use('/b/:brand', publicRateLimit(kernel));
  app.use(moduleRouter(kernel, keys));
  app.use((req, _res, next) => next(new SuiteError('SUITE_NOT_FOUND', { what: 'route', id: req.path })));
  app.use(errorHandler(kernel.log));
  return app;
}

/** The server's request listener: hook calls on the lean ingress, everything else through the express app (one hook handler for both). */
export function createRequestListener(kernel: Kernel, keys: ApiKeys, isDraining: () => boolean): RequestListener {
  const hooks = createHookHandler(kernel);
  const app = createApp(kernel, keys, isDraining, hooks);
  return hookIngress({ handle: hooks, fallback: app, isDraining, trustProxy: kernel.config.trustProxy, log: kernel.log });
}
