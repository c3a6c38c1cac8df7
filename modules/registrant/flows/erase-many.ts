/**
 * The registrant module's erasure of many subjects at once (the batch erasure the retention sweep uses): one query finds
 * which of them hold domains; only those go through the module's own per-subject erase (which replaces their contacts at
 * the registry through the outbox), so each ends exactly as `erase` leaves it; the rest answer what `erase` answers for
 * someone without domains, with no statement of their own.
 */
import type { Knex } from 'knex';
import type { EraseOutcome, PersonalDataProvider } from '../../../core/modules/define-module';

/** What the registrant module keeps of every erased subject, and why. */
export const REGISTRANT_KEPT = ['domain names and status (registry records until the domain expires)', 'consent to publish (proof, fields only)', 'reveal requests (legal claims)'];

async function lastOutboxId(trx: Knex.Transaction): Promise<number> {
  const r = (await trx('outbox').max({ m: 'id' }).first()) as { m: number | string | null } | undefined;
  return Number(r?.m ?? 0);
}

/** `eraseMany` built on the per-subject `erase`, which runs only for the subjects that hold domains. */
export function registrantEraseMany(erase: PersonalDataProvider['erase']): NonNullable<PersonalDataProvider['eraseMany']> {
  return async (subjectIds, ctx) => {
    const { trx } = ctx;
    const holders = new Set(((await trx('registrant_domains').whereIn('subject_id', subjectIds).distinct('subject_id').pluck('subject_id')) as (number | string)[]).map(Number));
    const out = new Map<number, EraseOutcome>();
    for (const id of subjectIds) {
      if (!holders.has(id)) {
        out.set(id, { erased: 0, kept: [...REGISTRANT_KEPT] });
        continue;
      }
      const mark = await lastOutboxId(trx);
      const r = await erase(id, ctx);
      const queued = ((await trx('outbox').where('id', '>', mark).orderBy('id').pluck('id')) as (number | string)[]).map(Number);
      out.set(id, { ...r, queued });
    }
    return out;
  };
}
