/**
 * Daily: a relayed message the outbox gave up on (dead) keeps its sealed payload for `DEAD_KEEP_DAYS`, long enough for
 * an admin to retry it; then the stranger's words are blanked as a delivered one's are at once (relay-mail.ts).
 */
import type { JobSpec } from '../../../core/modules/define-module';
import { RELAY_TOPIC } from './relay-mail';

export const DEAD_KEEP_DAYS = 14;
/** The mark a blanked dead message carries in `last_error` (so it is blanked once). */
export const SCRUBBED = 'payload removed after';

/** The scrub job of the contact form. */
export const contactScrubJob: JobSpec = {
  name: 'contact-scrub',
  schedule: '17 3 * * *',
  description: `Daily: removes the message of contact form relays that could not be delivered, ${DEAD_KEEP_DAYS} days after the last attempt.`,
  async run({ kernel, brands }) {
    const ids = brands.map((b) => b.id);
    if (!ids.length) return { scrubbed: 0 };
    const rows = (await kernel.db('outbox').whereIn('brand_id', ids).where({ topic: RELAY_TOPIC, state: 'dead' })
      .andWhere('next_attempt_at', '<', Date.now() - DEAD_KEEP_DAYS * 86_400_000)
      .andWhere((w) => w.whereNull('last_error').orWhereNot('last_error', 'like', `${SCRUBBED}%`))
      .select('id', 'last_error')) as { id: number; last_error: string | null }[];
    const blank = kernel.keyring.encryptSync('{}');
    for (const r of rows) {
      const note = `${SCRUBBED} ${DEAD_KEEP_DAYS} days${r.last_error ? ` (${r.last_error})` : ''}`.slice(0, 500);
      await kernel.db('outbox').where({ id: r.id, state: 'dead' }).update({ payload_enc: blank, last_error: note });
    }
    return { scrubbed: rows.length };
  },
};
