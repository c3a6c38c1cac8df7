/** POST /api/v1/hooks/{HookName}: the signed hook API (contract in DESIGN.md). */
import crypto from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { SuiteError, validationError, zodIssues } from '../errors';
import { resolveLocale } from '../i18n';
import type { Kernel } from '../kernel';
import { asyncRoute } from './respond';
import { verifyHookSignature } from './signature';
import type { HookResult } from '../hooks/dispatcher';

const HookBody = z.object({
  brand: z.string().min(1),
  vars: z.record(z.string(), z.unknown()).default({}),
  context: z.object({
    ip: z.string().max(64).optional(),
    userAgent: z.string().max(1000).optional(),
    gpc: z.boolean().optional(),
    locale: z.string().max(35).optional(),
  }).default({}),
});

/** The JSON answer for a hook result, in WHMCS's return conventions. */
function answerOf(r: HookResult): Record<string, unknown> {
  const out: Record<string, unknown> = { ok: true };
  if (r.errors?.length) out.errors = r.errors;
  if (r.abortWithError) out.abortWithError = r.abortWithError;
  if (r.abortWithSuccess) out.abortWithSuccess = true;
  if (r.abortsend) out.abortsend = true;
  if (r.mergefields) out.mergefields = r.mergefields;
  if (r.data) out.data = r.data;
  if (r.failures) out.afterHookFailures = r.failures;
  return out;
}

function isDuplicate(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; message?: string };
  return e.code === 'ER_DUP_ENTRY' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e.message ?? '');
}

/** Mounts the hook ingress. Failed authentication is audited (throttled) and writes nothing else. */
export function hookRouter(kernel: Kernel): Router {
  const router = express.Router();
  const lastAuthFailure = new Map<string, number>();

  async function authFailed(req: Request, code: 'SUITE_HOOK_SIGNATURE_MISSING' | 'SUITE_HOOK_SIGNATURE_INVALID' | 'SUITE_HOOK_TIMESTAMP_STALE', brandId: number | null): Promise<never> {
    const key = `${brandId}:${req.ip}`;
    if (Date.now() - (lastAuthFailure.get(key) ?? 0) > 60_000) {
      lastAuthFailure.set(key, Date.now());
      await kernel.audit.record({ brandId, actor: { type: 'anonymous', id: 'hook-api' }, action: 'auth.failed', targetType: 'hook', targetId: req.params.name, details: { code }, ip: req.ip });
    }
    throw new SuiteError(code, { skew: kernel.config.hookSkewSeconds });
  }

  router.post('/api/v1/hooks/:name', express.raw({ type: () => true, limit: '1mb' }), asyncRoute(async (req: Request, res: Response) => {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const ts = req.header('x-suite-timestamp');
    const sig = req.header('x-suite-signature');
    if (!ts || !sig) return authFailed(req, 'SUITE_HOOK_SIGNATURE_MISSING', null);
    if (!/^\d{1,12}$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > kernel.config.hookSkewSeconds) return authFailed(req, 'SUITE_HOOK_TIMESTAMP_STALE', null);
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return authFailed(req, 'SUITE_HOOK_SIGNATURE_INVALID', null);
    }
    const brandSlug = (json as { brand?: unknown })?.brand;
    const brand = typeof brandSlug === 'string' ? await kernel.brands.find(brandSlug) : undefined;
    if (!brand || !verifyHookSignature(sig, await kernel.brands.hookSecrets(brand), ts, raw)) return authFailed(req, 'SUITE_HOOK_SIGNATURE_INVALID', brand?.id ?? null);

    // Authenticated from here on.
    const parsed = HookBody.safeParse(json);
    if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
    const { vars, context } = parsed.data;
    const locale = resolveLocale(context.locale ?? req.header('accept-language'));
    const idemKey = req.header('idempotency-key');
    if (idemKey !== undefined && (idemKey.length < 1 || idemKey.length > 190)) throw validationError([{ field: 'Idempotency-Key', message: 'must be 1–190 characters' }]);
    const requestHash = crypto.createHash('sha256').update(req.params.name).update('\n').update(raw).digest('hex');

    const replay = async (): Promise<boolean> => {
      if (!idemKey) return false;
      const prior = (await kernel.db('idempotency_keys').where({ brand_id: brand.id, idem_key: idemKey }).first()) as { request_hash: string; status: number; response: string } | undefined;
      if (!prior) return false;
      if (prior.request_hash !== requestHash) throw new SuiteError('SUITE_IDEMPOTENCY_MISMATCH');
      res.status(prior.status).set('Idempotent-Replayed', 'true').type('application/json').send(prior.response);
      return true;
    };
    // Keys are checked optimistically: the record is inserted in the hook's own transaction (unique on brand + key),
    // so a key seen before makes that insert fail, everything the call did rolls back, and the first answer is
    // replayed (or 409 when the body differs). A new key, the common case, costs no extra look-up. Any failure of a
    // call that carries a key is checked against a stored answer first, so a replay never answers differently.
    const store = async (db: typeof kernel.db, body: Record<string, unknown>) => {
      if (idemKey) await db('idempotency_keys').insert({ brand_id: brand.id, idem_key: idemKey, request_hash: requestHash, status: 200, response: JSON.stringify(body), created_at: Date.now() });
    };
    let result;
    try {
      result = await kernel.hooks.run(req.params.name, vars, {
        brand, ip: context.ip, userAgent: context.userAgent, gpc: context.gpc ?? req.header('sec-gpc') === '1', locale, actor: 'hook-api',
        requestId: crypto.randomUUID(),
      }, { beforeCommit: (trx, r) => store(trx as unknown as typeof kernel.db, answerOf(r)) });
    } catch (err) {
      if (await replay()) return; // the key was used before (or by a concurrent request that won)
      throw err;
    }
    const body = answerOf(result);
    if (result.vetoed) {
      try {
        await store(kernel.db, body);
      } catch (err) {
        if (isDuplicate(err) && (await replay())) return;
        throw err;
      }
    }
    res.status(200).json(body);
  }));
  return router;
}
