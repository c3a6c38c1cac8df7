/** `/.well-known/gpc.json` (GPC specification §4): declares that this site honours Global Privacy Control, for every brand. */
import type { Router } from 'express';

/** The date GPC support was last changed; update it when the suite's handling of the signal changes. */
export const GPC_LAST_UPDATE = '2026-11-23';

/** Mounts the brand-independent GPC support resource (routes.root of the consent module). */
export function gpcRootRoutes(r: Router): void {
  r.get('/.well-known/gpc.json', (_req, res) => {
    res.set('Access-Control-Allow-Origin', '*');
    res.set('Cache-Control', 'public, max-age=86400');
    res.type('application/json').send(JSON.stringify({ gpc: true, lastUpdate: GPC_LAST_UPDATE }));
  });
}
