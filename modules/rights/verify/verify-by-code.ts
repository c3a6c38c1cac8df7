/**
 * The person's side of a public request: verifying it with the emailed code (MS-8d, method 'email-code') and
 * reading its status with the signed status link. Every failure — unknown request, another brand's, wrong, expired
 * or spent code — answers the same SUITE_RIGHTS_CODE_INVALID, so request ids cannot be probed.
 */
import { z } from 'zod';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError, validationError, zodIssues } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import { addEvent, type RequestRow } from '../requests/request-store';
import { CLOSED_STATUSES } from '../requests/request-types';
import { moduleSettings } from '../../../core/profile/module-settings';
import { RightsSettings } from '../settings';
import { latestVerification, tryCode, useVerification } from './email-code';
import { createStatusToken, verifyStatusToken } from './status-token';

/** The verify body: the code from the email (spaces and dashes a person may type are ignored). */
export const VerifyBody = z.object({ code: z.string().trim().max(32).transform((c) => c.replace(/[\s-]/g, '')).pipe(z.string().regex(/^\d{6,8}$/, 'validation.rights.code')) }).strict();

/** What the person sees of their request: no personal data, only where it stands. */
export interface PublicStatus { id: number; type: string; status: string; verified: boolean; receivedAt: number; dueAt: number; extended: boolean; closed: boolean; fulfilledAt: number | null }

/** The public view of a request row. */
export function publicStatus(r: RequestRow): PublicStatus {
  return {
    id: Number(r.id), type: r.type, status: r.status, verified: r.verified_at !== null, receivedAt: Number(r.created_at), dueAt: Number(r.due_at),
    extended: r.extended_at !== null, closed: CLOSED_STATUSES.includes(r.status), fulfilledAt: r.fulfilled_at === null ? null : Number(r.fulfilled_at),
  };
}

async function brandRequest(kernel: Kernel, brand: Brand, id: number): Promise<RequestRow | undefined> {
  if (!Number.isSafeInteger(id) || id < 1) return undefined;
  return (await kernel.db('rights_requests').where({ id, brand_id: brand.id }).first()) as RequestRow | undefined;
}

/** Verifies a public request with its code; answers its status and a status token. */
export async function verifyWithCode(kernel: Kernel, brand: Brand, id: number, body: unknown, facts: { ip?: string } = {}): Promise<{ request: PublicStatus; statusToken: string }> {
  const parsed = VerifyBody.safeParse(body ?? {});
  if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
  const invalid = new SuiteError('SUITE_RIGHTS_CODE_INVALID');
  const row = await brandRequest(kernel, brand, id);
  const v = row ? await latestVerification(kernel.db, Number(row.id)) : undefined;
  if (!row || !v) throw invalid;
  const settings = moduleSettings(RightsSettings, await kernel.brands.profile(brand), 'rights');
  if (!(await tryCode(kernel, v, parsed.data.code, settings.verification.maxAttempts))) {
    await kernel.audit.record({ brandId: brand.id, actor: { type: 'anonymous', id: 'privacy-center' }, action: 'rights.request.code-failed', targetType: 'rights_request', targetId: row.id, details: {}, ip: facts.ip });
    throw invalid;
  }
  if (row.status !== 'received') throw new SuiteError('SUITE_RIGHTS_WRONG_STATE', { id: row.id, status: row.status, action: 'verification', needed: 'received' });
  const now = Date.now();
  const actor = { type: 'anonymous' as const, id: 'privacy-center' };
  await kernel.db.transaction(async (trx) => {
    if (!(await useVerification(trx, Number(v.id), now))) throw invalid;
    const n = await trx('rights_requests').where({ id: row.id, status: 'received' })
      .update({ status: 'verified', verification_method: 'email-code', verified_at: now, verified_by: `email-code:${Number(v.id)}`, updated_at: now });
    if (!n) throw invalid;
    await addEvent(kernel, trx, row, 'verified', actor, { method: 'email-code', verificationId: Number(v.id) }, facts.ip);
  });
  const fresh = (await brandRequest(kernel, brand, Number(row.id)))!;
  return { request: publicStatus(fresh), statusToken: createStatusToken(kernel, brand.id, Number(row.id)) };
}

/** The status of a request for the holder of its status token. */
export async function statusWithToken(kernel: Kernel, brand: Brand, id: number, token: unknown): Promise<PublicStatus> {
  verifyStatusToken(kernel, token, brand.id, id);
  const row = await brandRequest(kernel, brand, id);
  if (!row) throw new SuiteError('SUITE_LINK_INVALID');
  return publicStatus(row);
}
