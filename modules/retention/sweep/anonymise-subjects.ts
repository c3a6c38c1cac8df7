/**
 * The sweep's one door to the rights module's erasure (MS-8f, MS-9): whole subjects are anonymised by the same code
 * that answers erase requests, so the two can never disagree. A batch is erased set-based in the sweep's batch
 * transaction (`RightsService.eraseBatch`); the plan and the data keys are resolved before that transaction opens.
 */
import type { Knex } from 'knex';
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { BatchTurn, ErasurePlan, RightsService } from '../../rights/public';

export type { BatchTurn, ErasurePlan };

/** What an anonymisation batch did: the subjects anonymised, and the ones skipped with the reason. */
export interface AnonymiseOutcome { erased: number[]; skipped: { subjectId: number; reason: string }[] }

const rights = (kernel: Kernel): RightsService => kernel.service<RightsService>('rights');

/** The brand's erasure plan (modules, statutory period); call it outside any transaction. */
export function planAnonymisation(kernel: Kernel, brand: Brand): Promise<ErasurePlan> {
  return rights(kernel).planErasure(brand);
}

/** Loads the data keys the subjects' fields are under; call it before opening the batch's transaction. */
export function prepareAnonymisation(kernel: Kernel): Promise<void> {
  return rights(kernel).prepareBatch();
}

/** Anonymises the subjects inside `trx` through the rights erasure (statutory records kept, every module erased, tombstones). */
export function anonymiseSubjects(kernel: Kernel, trx: Knex.Transaction, plan: ErasurePlan, subjectIds: number[], ctx: { actor: Actor; source: string; reference?: string; turn?: BatchTurn }): Promise<AnonymiseOutcome> {
  return rights(kernel).eraseBatch(trx, plan, subjectIds, ctx);
}
