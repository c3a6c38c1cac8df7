/** The express application: security headers, hook ingress, admin API, module routes, health. */
import express, { type Express } from 'express';
import type { Kernel } from '../kernel';
import type { ApiKeys } from '../apikeys/api-keys';
import { hookRouter } from './hook-route';
import { adminRouter } from './admin-routes';
import { moduleRouter } from './module-routes';
import { errorHandler } from './respond';
import { SuiteError } from '../errors';

/** Builds the app. `isDraining` lets graceful shutdown refuse new work with 503. */
export function createApp(kernel: Kernel, keys: ApiKeys, isDraining: () => boolean): Express {
  const app = express();
  app.disable('x-powered-by');
  if (kernel.config.trustProxy) app.set('trust proxy', true);
  app.use((req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('Referrer-Policy', 'no-referrer');
    res.set('X-Frame-Options', 'DENY');
    if (req.secure) res.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    if (isDraining()) {
      res.set('Connection', 'close');
      res.status(503).json({ ok: false, code: 'SUITE_SHUTTING_DOWN', error: 'The service is restarting; retry shortly.' });
      return;
    }
    next();
  });
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, modules: kernel.modules.list().map((m) => m.name), failures: kernel.modules.failures.length });
  });
  app.use(hookRouter(kernel));
  app.use(adminRouter(kernel, keys));
  app.use(moduleRouter(kernel, keys));
  app.use((req, _res, next) => next(new SuiteError('SUITE_NOT_FOUND', { what: 'route', id: req.path })));
  app.use(errorHandler(kernel.log));
  return app;
}
