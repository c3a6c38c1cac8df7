/**
 * The signed hook API (a contract: README, "The hook API"), free of any HTTP framework: one implementation shared by the lean
 * ingress (`hook-ingress.ts`, the hot path) and the express route (`hook-route.ts`, for everything unusual).
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { SuiteError, validationError, zodIssues, fieldIssue } from '../errors';
import { resolveLocale } from '../i18n';
import type { Kernel } from '../kernel';
import { verifyHookSignature } from './signature';
import { accessWatch } from '../security/access-watch';
import { assertUtf8, assertWellFormed } from './body';
import type { HookResult } from '../hooks/dispatcher';
import { isUniqueViolation } from '../db/unique-violation';

/** The largest hook body read (larger: 413 SUITE_BODY_TOO_LARGE). */
export const HOOK_BODY_LIMIT = 1024 * 1024;

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

/** One hook request as received: the hook name from the path, the raw body, header access and the client's IP. */
export interface HookRequest {
  name: string;
  raw: Buffer;
  /** A request header by lower-case name. */
  header: (name: string) => string | undefined;
  ip: string | undefined;
}

/** The answer to send: status, whether it replays a stored answer, and the JSON body. Errors are thrown instead. */
export interface HookReply { status: number; replayed: boolean; json: string }

/** Handles one hook request end to end. */
export type HookHandler = (req: HookRequest) => Promise<HookReply>;

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


const TIMESTAMP = /^\d{1,12}$/;

/**
 * Creates the hook handler. Failed authentication writes only what the access watch keeps: its counter, an audit
 * entry once per IP, brand and window, and an unusual-access alert past the threshold (MS-10).
 */
export function createHookHandler(kernel: Kernel): HookHandler {
  const db = kernel.db;

  async function authFailed(req: HookRequest, code: 'SUITE_HOOK_SIGNATURE_MISSING' | 'SUITE_HOOK_SIGNATURE_INVALID' | 'SUITE_HOOK_TIMESTAMP_STALE', brandId: number | null): Promise<never> {
    await accessWatch(kernel).failure({ source: 'hook-signature', ip: req.ip, brandId, code, targetType: 'hook', targetId: req.name, actor: 'hook-api' });
    throw new SuiteError(code, { skew: kernel.config.hookSkewSeconds });
  }

  return async (req) => {
    const { raw, name } = req;
    assertUtf8(req.header('content-type'));
    const ts = req.header('x-suite-timestamp');
    const sig = req.header('x-suite-signature');
    if (!ts || !sig) return authFailed(req, 'SUITE_HOOK_SIGNATURE_MISSING', null);
    if (!TIMESTAMP.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > kernel.config.hookSkewSeconds) return authFailed(req, 'SUITE_HOOK_TIMESTAMP_STALE', null);
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
    assertWellFormed(json); // a lone surrogate would be stored replaced, unlike what a hash chain hashed
    const { vars, context } = parsed.data;
    const locale = resolveLocale(context.locale ?? req.header('accept-language'));
    const idemKey = req.header('idempotency-key');
    if (idemKey !== undefined && (idemKey.length < 1 || idemKey.length > 190)) throw validationError([fieldIssue('Idempotency-Key', 'validation.input.length', { min: 1, max: 190 })]);
    const requestHash = crypto.createHash('sha256').update(name).update('\n').update(raw).digest('hex');

    const replay = async (): Promise<HookReply | undefined> => {
      if (!idemKey) return undefined;
      const prior = (await db('idempotency_keys').where({ brand_id: brand.id, idem_key: idemKey }).first()) as { request_hash: string; status: number; response: string } | undefined;
      if (!prior) return undefined;
      if (prior.request_hash !== requestHash) throw new SuiteError('SUITE_IDEMPOTENCY_MISMATCH');
      return { status: Number(prior.status), replayed: true, json: prior.response };
    };
    // Keys are checked optimistically: the record is inserted in the hook's own transaction (unique on brand + key),
    // so a key seen before makes that insert fail, everything the call did rolls back, and the first answer is
    // replayed (or 409 when the body differs). A new key, the common case, costs no extra look-up. Any failure of a
    // call that carries a key is checked against a stored answer first, so a replay never answers differently.
    const store = async (q: typeof db, response: string) => {
      if (idemKey) await q('idempotency_keys').insert({ brand_id: brand.id, idem_key: idemKey, request_hash: requestHash, status: 200, response, created_at: Date.now() });
    };
    let answer = '';
    let result;
    try {
      result = await kernel.hooks.run(name, vars, {
        brand, ip: context.ip, userAgent: context.userAgent, gpc: context.gpc ?? req.header('sec-gpc') === '1', locale, actor: 'hook-api',
        requestId: crypto.randomUUID(),
      }, { beforeCommit: (trx, r) => store(trx as unknown as typeof db, (answer = JSON.stringify(answerOf(r)))) });
    } catch (err) {
      const prior = await replay(); // the key was used before (or by a concurrent request that won)
      if (prior) return prior;
      throw err;
    }
    if (result.vetoed) {
      answer = JSON.stringify(answerOf(result));
      try {
        await store(db, answer);
      } catch (err) {
        const prior = isUniqueViolation(err) ? await replay() : undefined;
        if (prior) return prior;
        throw err;
      }
    } else if (!answer) answer = JSON.stringify(answerOf(result)); // (with a key, the stored answer was made in beforeCommit)
    return { status: 200, replayed: false, json: answer };
  };
}
