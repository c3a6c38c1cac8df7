/**
 * Intake: one path for the admin API, the panel hook and the public endpoint. Finds the subject (by id, panel
 * reference or email through the blind index), routes the request to its controller's queue (WSM-25), sets the due
 * date from the brand's rule and calendar (MS-8c), and records a verification the caller already holds (MS-8d).
 * Resolving (`prepareRequest`) happens before a transaction opens; `insertRequest` writes only through the
 * transaction, so a hook handler or the public endpoint can open a request together with its own writes.
 */
import type { Knex } from 'knex';
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import type { Subject } from '../../../core/subjects/subject-service';
import { dueDate } from './due-date';
import { addEvent, actorString, requestRow, toRequest } from './request-store';
import type { RequestInput, RequestSla, RequestSource, RequesterDetails, RightsRequest, VerificationMethod } from './request-types';
import { queueBrandOf } from './routing';

/** How the request came in, and what the caller already vouches for. */
export interface OpenOptions {
  source: RequestSource;
  actor: Actor;
  ip?: string;
  /** A verification the caller holds: the panel's logged-in session, or an admin's check. */
  verification?: { method: VerificationMethod; by?: Actor; note?: string };
  sla?: RequestSla;
  parentRequestId?: number;
  /** Overrides the routed queue (a reseller's removal order goes to its provider). */
  queueBrand?: Brand;
  /** When the request was received (epoch ms); the clock by default. For tests and requests received on paper. */
  now?: number;
}

/** What intake resolved before writing: the brand, its controller's queue, the profile the due date follows, the subject. */
export interface PreparedRequest { brand: Brand; queue: Brand; profile: PrivacyProfile; subject: Subject | undefined; sla: RequestSla; receivedAt: number; dueAt: number }

/** Subjects of a brand with this email (blind index), read through `db`. */
async function subjectsByEmail(kernel: Kernel, db: Knex | Knex.Transaction, brandId: number, email: string): Promise<Subject[]> {
  const rows = (await db('subjects').where({ brand_id: brandId, email_hash: kernel.keyring.blindIndex(email) }).select('id')) as { id: number }[];
  const out: Subject[] = [];
  for (const r of rows) out.push(await kernel.subjects.get(Number(r.id), db));
  return out;
}

/** Finds the subject the input names within the brand; undefined when the brand holds nothing about them. */
export async function findSubject(kernel: Kernel, brand: Brand, input: Pick<RequestInput, 'subjectId' | 'client' | 'email'>, db?: Knex | Knex.Transaction): Promise<Subject | undefined> {
  if (input.subjectId !== undefined) {
    const s = await kernel.subjects.get(input.subjectId, db).catch(() => undefined);
    if (!s || s.brandId !== brand.id) throw new SuiteError('SUITE_SUBJECT_UNKNOWN', { subject: input.subjectId });
    return s;
  }
  if (input.client) return kernel.subjects.findByExternal(brand.id, input.client.kind, input.client.id, db);
  if (input.email) {
    const found = db ? await subjectsByEmail(kernel, db, brand.id, input.email) : await kernel.subjects.findByEmail([brand.id], input.email);
    const live = found.filter((s) => s.status !== 'erased');
    return live.find((s) => s.kind === 'client') ?? live.find((s) => s.kind === 'payer') ?? live[0];
  }
  return undefined;
}

/**
 * Resolves a request before any transaction: subject, queue, due date. With `opts.db` (a transaction the caller
 * already holds) every read goes through it and `profile` must be given (the hook dispatcher resolved it).
 */
export async function prepareRequest(kernel: Kernel, brand: Brand, input: RequestInput, opts: OpenOptions & { db?: Knex.Transaction; profile?: PrivacyProfile }): Promise<PreparedRequest> {
  const subject = await findSubject(kernel, brand, input, opts.db);
  const queue = opts.queueBrand ?? (await queueBrandOf(kernel, brand, opts.db));
  const sla = opts.sla ?? 'dsar';
  const profile = opts.profile && sla === 'dsar' ? opts.profile : await kernel.brands.profile(sla === 'reseller-removal' ? queue : brand);
  const receivedAt = opts.now ?? Date.now();
  return { brand, queue, profile, subject, sla, receivedAt, dueAt: dueDate(profile, receivedAt, sla) };
}

/** Writes a prepared request (and the verification the caller holds) in `trx`; returns its id. */
export async function insertRequest(kernel: Kernel, trx: Knex.Transaction, p: PreparedRequest, input: RequestInput, opts: OpenOptions): Promise<number> {
  const { brand, queue, subject, sla, receivedAt: now, dueAt: due } = p;
  const requester: RequesterDetails = {};
  if (input.email) requester.email = input.email;
  if (input.name) requester.name = input.name;
  if (input.message) requester.message = input.message;
  if (input.changes) requester.changes = input.changes;
  if (input.channels) requester.channels = input.channels;
  const locale = input.locale ?? p.profile.locale;
  const [rid] = await trx('rights_requests').insert({
    brand_id: brand.id, queue_brand_id: queue.id, subject_id: subject?.id ?? null, type: input.type, status: 'received', sla,
    parent_request_id: opts.parentRequestId ?? null, source: opts.source, locale: locale.slice(0, 8),
    requester_enc: kernel.keyring.encryptSync(JSON.stringify(requester)), requester_hash: input.email ? kernel.keyring.blindIndex(input.email) : null,
    due_at: due, original_due_at: due, created_at: now, updated_at: now,
  });
  const ref = { id: Number(rid), brand_id: brand.id };
  await addEvent(kernel, trx, ref, 'received', opts.actor, { type: input.type, source: opts.source, sla, queueBrandId: queue.id, subjectLinked: Boolean(subject), dueAt: due }, opts.ip);
  if (opts.verification) {
    const by = opts.verification.by ?? opts.actor;
    await trx('rights_requests').where({ id: ref.id }).update({ status: 'verified', verification_method: opts.verification.method, verified_at: now, verified_by: actorString(by), updated_at: now });
    await addEvent(kernel, trx, ref, 'verified', by, { method: opts.verification.method, note: opts.verification.note ? 'recorded' : undefined });
  }
  return ref.id;
}

/** Opens a request and returns it as the controller sees it. */
export async function openRequest(kernel: Kernel, brand: Brand, input: RequestInput, opts: OpenOptions): Promise<RightsRequest> {
  const prepared = await prepareRequest(kernel, brand, input, opts);
  const id = await kernel.db.transaction((trx) => insertRequest(kernel, trx, prepared, input, opts));
  return toRequest(kernel, await requestRow(kernel.db, id));
}
