/** CORS for the cookie endpoint: only the exact origins in the brand's `cookies.allowedOrigins`; never a wildcard, never credentials. */
import type { NextFunction, Request, Response } from 'express';
import type { Kernel } from '../../../core/kernel';
import { cookieSettingsOf } from './cookie-settings';

/** Middleware: reflects an allowed Origin (with `Vary: Origin`) and answers preflights; other origins get no CORS headers. */
export function cookieCors(kernel: Kernel) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.vary('Origin');
    const origin = req.get('origin')?.toLowerCase();
    (async () => {
      if (!origin || !req.brand) return;
      const allowed = cookieSettingsOf(await kernel.settings('consent', req.brand)).allowedOrigins;
      if (!allowed.includes(origin)) return;
      res.set('Access-Control-Allow-Origin', origin);
      if (req.method === 'OPTIONS') {
        res.set('Access-Control-Allow-Methods', 'GET, POST');
        res.set('Access-Control-Allow-Headers', 'Content-Type');
        res.set('Access-Control-Max-Age', '600');
      }
    })().then(() => (req.method === 'OPTIONS' ? void res.status(204).end() : next()), next);
  };
}
