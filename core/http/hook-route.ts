/**
 * POST /api/v1/hooks/{HookName} through express: the requests the lean ingress (`hook-ingress.ts`) hands on —
 * compressed bodies, unusual spellings of the path. Both run the one handler in `hook-handler.ts`.
 */
import express, { type Request, type Response, type Router } from 'express';
import { asyncRoute } from './respond';
import { HOOK_BODY_LIMIT, type HookHandler } from './hook-handler';

/** Mounts the hook route on express. */
export function hookRouter(handle: HookHandler): Router {
  const router = express.Router();
  router.post('/api/v1/hooks/:name', express.raw({ type: () => true, limit: HOOK_BODY_LIMIT }), asyncRoute(async (req: Request, res: Response) => {
    const reply = await handle({
      name: req.params.name,
      raw: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      header: (name) => req.header(name),
      ip: req.ip,
    });
    res.status(reply.status);
    if (reply.replayed) res.set('Idempotent-Replayed', 'true');
    res.type('application/json').send(reply.json);
  }));
  return router;
}
