/**
 * A person's own request from the privacy center (MS-8, MS-8d): opens a 'public' request, creates its one-time code
 * and queues the code email, all in one transaction. The answer is the same whether or not the address belongs to a
 * customer (no account enumeration): the code goes to the address typed, and only someone who reads that mailbox
 * can verify the request.
 */
import { z } from 'zod';
import type { Brand } from '../../../core/brands/brand';
import { validationError, zodIssues } from '../../../core/errors';
import { resolveLocale } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { insertRequest, prepareRequest } from '../requests/open-request';
import { RectifiableField, RequestInput, RequestType } from '../requests/request-types';
import { moduleSettings } from '../../../core/profile/module-settings';
import { RightsSettings } from '../settings';
import { createVerification } from './email-code';
import { mailTransfer } from './mail-transfer';

/** The public intake body: the person names themselves by email only (never a subject or panel id). */
export const PublicRequestBody = z.object({
  type: RequestType,
  email: z.string().trim().email('validation.format.email').max(254),
  name: z.string().trim().max(190).optional(),
  message: z.string().max(5000).optional(),
  changes: z.record(RectifiableField, z.string().max(500)).optional(),
  channels: z.array(z.enum(['email', 'sms', 'phone'])).optional(),
  locale: z.string().max(35).optional(),
}).strict();
export type PublicRequestBody = z.infer<typeof PublicRequestBody>;

/** The outbox topic of the code email. */
export const CODE_TOPIC = 'rights.verification-code';

/** The answer to every accepted public request. */
export interface PublicIntakeAnswer { ok: true; requestId: number; verification: 'email-code-sent' }

/** Validates, opens the request, creates the code and queues its email; `acceptLanguage` picks the language when the body names none. */
export async function openPublicRequest(kernel: Kernel, brand: Brand, body: unknown, facts: { ip?: string; acceptLanguage?: string; now?: number }): Promise<PublicIntakeAnswer> {
  const parsed = PublicRequestBody.safeParse(body ?? {});
  if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
  const profile = await kernel.brands.profile(brand);
  const locale = resolveLocale(parsed.data.locale ?? facts.acceptLanguage ?? profile.locale);
  const checked = RequestInput.safeParse({ ...parsed.data, locale });
  if (!checked.success) throw validationError(zodIssues(checked.error.issues));
  const input = checked.data;
  const transfer = mailTransfer(profile); // 422 before anything is written when the brand cannot send email
  const settings = moduleSettings(RightsSettings, profile, 'rights');
  const actor = { type: 'anonymous' as const, id: 'privacy-center' };
  const opts = { source: 'public' as const, actor, ip: facts.ip, now: facts.now };
  const prepared = await prepareRequest(kernel, brand, input, opts);
  const restricted = prepared.subject?.restrictedAt !== null && prepared.subject?.restrictedAt !== undefined;
  const send = restricted ? mailTransfer(profile, { restricted }) : transfer;
  const requestId = await kernel.db.transaction(async (trx) => {
    const id = await insertRequest(kernel, trx, prepared, input, opts);
    const verificationId = await createVerification(kernel, trx, id, settings.verification.codeTtlMinutes, prepared.receivedAt);
    await kernel.outbox.enqueue(trx, profile, {
      brandId: brand.id, topic: CODE_TOPIC, recipient: send.recipient, purpose: send.purpose,
      subjectId: send.linkSubject ? prepared.subject?.id ?? null : null, categories: ['contact'],
      payload: { requestId: id, verificationId, email: input.email, locale }, idempotencyKey: `rights-code:${verificationId}`,
    });
    return id;
  });
  return { ok: true, requestId, verification: 'email-code-sent' };
}
