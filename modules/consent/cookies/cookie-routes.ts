/** The consent module's cookie routes under /b/:brand/consent/: the banner script and the choice endpoint. */
import type { Request, Router } from 'express';
import type { Kernel } from '../../../core/kernel';
import { asyncRoute } from '../../../core/http/respond';
import { hasGpcSignal } from '../gpc/gpc-signal';
import { gpcClientSignal } from '../gpc/gpc-middleware';
import { renderBannerScript } from './banner-script';
import { brandBanner, readCookieState, recordCookieChoice, type RequestFacts } from './cookie-choice';
import { cookieCors } from './cookie-cors';
import { rateLimit } from '../../../core/http/rate-limit';
import { jsonBody } from '../../../core/http/body';

function facts(req: Request): RequestFacts {
  return { ip: req.ip, userAgent: req.get('user-agent') ?? undefined, gpc: hasGpcSignal(req.headers) };
}

/** Mounts the GPC signal watcher (for the consent client routes mounted after it), GET cookie-banner.js and GET/POST/OPTIONS cookies. */
export function cookieClientRoutes(r: Router, kernel: Kernel): void {
  // Each visitor IP may record 60 cookie choices a minute per brand: the endpoint is open to the web.
  const cookieWriteLimit = rateLimit(kernel, { name: 'consent-cookies', max: 60, windowMs: 60_000 });
  r.use(gpcClientSignal(kernel));
  r.get('/cookie-banner.js', asyncRoute(async (req, res) => {
    const { config } = await brandBanner(kernel, req.brand!);
    const etag = `"${config.bannerVersion}"`;
    res.set({ 'Cache-Control': 'public, max-age=300', ETag: etag, 'Cross-Origin-Resource-Policy': 'cross-origin' });
    if (req.get('if-none-match') === etag) return void res.status(304).end();
    res.type('application/javascript; charset=utf-8').send(renderBannerScript(config));
  }));
  const cors = cookieCors(kernel);
  r.options('/cookies', cors);
  r.get('/cookies', cors, asyncRoute(async (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json({ ok: true, ...(await readCookieState(kernel, req.brand!, req.query, facts(req))) });
  }));
  r.post('/cookies', cors, cookieWriteLimit, jsonBody({ limit: '8kb' }), asyncRoute(async (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json({ ok: true, ...(await recordCookieChoice(kernel, req.brand!, req.body, facts(req))) });
  }));
}
