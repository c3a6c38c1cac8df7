/**
 * Objection to marketing (MS-7.1) and withdrawal of processing consent (SP-6.1), answered through the consent
 * module's service so each is in the consent ledger and takes effect at once: an objection withdraws marketing
 * consent on every channel asked (default: every channel the brand offers) and suppresses the addresses; a
 * withdrawal opens the service-suspension step for the admin and queues the notice to the customer. The consent
 * calls run in the fulfiller's own transaction (brand and profile resolved before it opens), with the request's
 * timeline event, so a resumed fulfilment never records the same withdrawal twice.
 */
import type { Knex } from 'knex';
import type { CollectionPoint, ConsentMethod, ConsentService, ServiceCallOptions } from '../../consent/public';
import { recordedAnswer } from '../rectify/answer-event';
import type { FulfilContext, Fulfiller } from './fulfil-context';
import { addEvent } from './request-store';

const CHANNELS = ['email', 'sms', 'phone'] as const;
type Channel = (typeof CHANNELS)[number];

/** The timeline events that carry the answers. */
export const OBJECTED_EVENT = 'marketing-objected';
export const WITHDRAWN_EVENT = 'consent-withdrawn';

/** How the consent ledger records an answer to a rights request: an admin acting on the person's written request. */
function sourceOf(c: FulfilContext): { method: ConsentMethod; collectionPoint: CollectionPoint } {
  return { method: 'admin-written', collectionPoint: c.row.source === 'public' ? 'privacy-center' : 'admin' };
}

/** Runs `fn` in one transaction with the consent service's options for it (key warmed first: nothing queries beside `trx`). */
async function inTransaction<T>(c: FulfilContext, fn: (trx: Knex.Transaction, consent: ConsentService, opts: ServiceCallOptions) => Promise<T>): Promise<T> {
  const consent = c.kernel.service<ConsentService>('consent');
  await c.kernel.keyring.activeKeyId();
  return c.kernel.db.transaction((trx) => fn(trx, consent, { trx, profile: c.profile, ip: c.ip, via: 'written' }));
}

/** The channels the person objected to: those named (in the brand's order), else every channel the brand offers. */
function channelsOf(c: FulfilContext): Channel[] {
  const asked = (c.request.requester.channels ?? []).filter((ch): ch is Channel => (CHANNELS as readonly string[]).includes(ch));
  const list = asked.length ? asked : c.profile.consent.channels.filter((ch): ch is Channel => (CHANNELS as readonly string[]).includes(ch));
  return [...new Set(list)];
}

export const fulfilObject: Fulfiller = async (c) => {
  const done = await recordedAnswer(c.kernel, c.row.id, OBJECTED_EVENT);
  if (done) return done;
  const subjectId = Number(c.row.subject_id);
  const channels = channelsOf(c);
  return inTransaction(c, async (trx, consent, opts) => {
    const out: { channel: Channel; state: string; receiptId: string | null }[] = [];
    for (const channel of channels) {
      const r = await consent.setPreference(c.brand, subjectId, channel, 'withdrawn', sourceOf(c), opts);
      out.push({ channel, state: r.state, receiptId: r.receipt?.receiptId ?? null });
    }
    const answer = { subjectId, channels: out, receiptIds: out.map((o) => o.receiptId).filter((r): r is string => r !== null), effective: 'immediately' };
    await addEvent(c.kernel, trx, c.row, OBJECTED_EVENT, c.actor, answer, c.ip);
    return answer;
  });
};

/** The outbox id of the withdrawal notice just queued for the subject (in `trx`). */
async function noticeId(trx: Knex.Transaction, brandId: number, subjectId: number): Promise<number | null> {
  const r = (await trx('outbox').where({ brand_id: brandId, subject_id: subjectId, topic: 'consent.withdrawal-notice' }).orderBy('id', 'desc').first('id')) as { id: number } | undefined;
  return r ? Number(r.id) : null;
}

export const fulfilWithdraw: Fulfiller = async (c) => {
  const done = await recordedAnswer(c.kernel, c.row.id, WITHDRAWN_EVENT);
  if (done) return done;
  const subjectId = Number(c.row.subject_id);
  return inTransaction(c, async (trx, consent, opts) => {
    const r = await consent.withdraw(c.brand, subjectId, 'processing', sourceOf(c), opts);
    const answer = {
      subjectId, purpose: 'processing', withdrawalId: r.withdrawalId ?? null, receiptId: r.receiptId ?? null,
      step: 'service-suspension', noticeOutboxId: await noticeId(trx, c.brand.id, subjectId),
    };
    await addEvent(c.kernel, trx, c.row, WITHDRAWN_EVENT, c.actor, answer, c.ip);
    return answer;
  });
};
