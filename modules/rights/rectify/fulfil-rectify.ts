/**
 * Rectification (MS-8e, TOS-1.4): the corrected values, validated field by field, are written in ONE transaction to
 * every module enabled for the brand that holds them (`personalData.rectify`: the platform's record, the registrant's
 * domain contacts — re-sent to the registrar through the outbox, which writes the disclosure log) and to the
 * subject register. The register comes last, so modules still see the record as it was (a contact's old email finds
 * the domains they are the admin contact of). The answer lists the fields each module updated and where the
 * correction was sent on (outbox ids, recipients); no values.
 */
import type { Knex } from 'knex';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { ModuleDefinition, RectifyOutcome } from '../../../core/modules/define-module';
import { FIELD_CATEGORIES } from '../../../core/subjects/field-catalogue';
import type { Subject } from '../../../core/subjects/subject-service';
import type { Fulfiller } from '../requests/fulfil-context';
import { addEvent } from '../requests/request-store';
import { recordedAnswer } from './answer-event';
import { parseChanges } from './rectify-changes';

/** The timeline event that carries the answer. */
export const RECTIFIED_EVENT = 'rectified';

/** The modules enabled for the brand that rectify, the subject register (inventory) last. */
async function rectifiers(c: Parameters<Fulfiller>[0]): Promise<ModuleDefinition[]> {
  const out: ModuleDefinition[] = [];
  for (const m of c.kernel.modules.list()) {
    if (m.personalData?.rectify && (await c.kernel.modules.enabledFor(c.kernel.brands, c.brand, m.name))) out.push(m);
  }
  return out.sort((a, b) => Number(a.name === 'inventory') - Number(b.name === 'inventory'));
}

/** The register itself, when the inventory module is off for the brand: the kernel's record still takes the correction. */
async function rectifyRegister(kernel: Kernel, trx: Knex.Transaction, subject: Subject, changes: Record<string, string>): Promise<RectifyOutcome> {
  const fields = Object.keys(changes).filter((f) => FIELD_CATEGORIES[f] !== undefined).sort();
  if (fields.length) await kernel.subjects.upsert(trx, { brandId: subject.brandId, kind: subject.kind, externalId: subject.externalId, fields: changes });
  return { updated: fields, propagated: [] };
}

export const fulfilRectify: Fulfiller = async (c) => {
  const { kernel, brand, profile, row, actor } = c;
  const done = await recordedAnswer(kernel, row.id, RECTIFIED_EVENT);
  if (done) return done;
  const changes = parseChanges(c.request.requester.changes);
  const subject = await kernel.subjects.get(Number(row.subject_id));
  if (subject.status === 'erased') throw new SuiteError('SUITE_RIGHTS_SUBJECT_ERASED', { subject: subject.id, id: row.id });
  const modules = await rectifiers(c);
  await kernel.keyring.activeKeyId();
  const result = await kernel.db.transaction(async (trx) => {
    const perModule: Record<string, RectifyOutcome> = {};
    for (const m of modules) perModule[m.name] = await m.personalData!.rectify!(subject.id, changes, { kernel, trx, brand, profile });
    if (!perModule.inventory) perModule.inventory = await rectifyRegister(kernel, trx, subject, changes);
    const outboxIds = Object.values(perModule).flatMap((o) => o.propagated).filter((p) => p.startsWith('outbox:')).map((p) => Number(p.slice('outbox:'.length)));
    const sent = outboxIds.length ? ((await trx('outbox').whereIn('id', outboxIds).orderBy('id').select('id', 'recipient', 'topic')) as { id: number; recipient: string; topic: string }[]) : [];
    const answer = {
      subjectId: subject.id,
      fields: Object.keys(changes).sort(),
      modules: perModule,
      transfers: sent.map((m) => ({ outboxId: Number(m.id), recipient: m.recipient, topic: m.topic })),
      recipients: [...new Set(sent.map((m) => m.recipient))].sort(),
    };
    // Field names, module names and outbox ids only: the timeline and the audit log hold no values.
    await addEvent(kernel, trx, row, RECTIFIED_EVENT, actor, answer, c.ip);
    return answer;
  });
  return result;
};
