/** The rights module's service for other modules and the CLI (retention uses its erasure, so the two never disagree). */
import type { Actor } from '../../core/audit/audit-log';
import type { Brand } from '../../core/brands/brand';
import type { Knex } from 'knex';
import type { Kernel } from '../../core/kernel';
import { eraseBatchInTransaction, prepareBatch, type BatchContext, type BatchOutcome } from './erase/erase-batch';
import { eraseSubject, type EraseTarget } from './erase/erase-subject';
import { planErasure, type ErasurePlan } from './erase/erasure-plan';
import type { ErasureResult } from './erase/erasure-result';
import { eraseSubjects, resumeRuns, runStatus, type RunOptions, type RunProgress } from './erase/erasure-runs';
import { eraseMinor, type MinorErasure } from './erase/minor-erasure';
import { deleteExpiredStatutory } from './erase/statutory-records';
import { fulfilRequest } from './requests/fulfil-request';
import { openRequest, type OpenOptions } from './requests/open-request';
import type { RequestInput, RightsRequest } from './requests/request-types';

export class RightsService {
  constructor(private readonly kernel: Kernel) {}

  /** Opens a request for a brand (see openRequest). */
  open(brand: Brand, input: RequestInput, opts: OpenOptions): Promise<RightsRequest> {
    return openRequest(this.kernel, brand, input, opts);
  }

  /** Fulfils a verified request from its controller's brand. */
  fulfil(viewer: Brand, id: number, actor: Actor): Promise<RightsRequest> {
    return fulfilRequest(this.kernel, viewer, id, actor);
  }

  /** Erases one subject in one transaction (the erasure retention uses too); a done subject answers its stored result. */
  eraseSubject(target: EraseTarget): Promise<ErasureResult> {
    return eraseSubject(this.kernel, target);
  }

  /** The brand-level part of an erasure (modules, statutory period) for batches; call it outside any transaction. */
  async planErasure(brand: Brand): Promise<ErasurePlan> {
    return planErasure(this.kernel, brand, await this.kernel.brands.profile(brand));
  }

  /** Loads the data keys a batch's fields are under; run it before opening the batch's transaction. */
  prepareBatch(): Promise<void> {
    return prepareBatch(this.kernel);
  }

  /**
   * Erases a batch of the plan's brand's subjects inside the caller's `trx`, set-based, exactly as eraseSubject would
   * each of them (see erase/erase-batch.ts); run prepareBatch before opening `trx`.
   */
  eraseBatch(trx: Knex.Transaction, plan: ErasurePlan, subjectIds: number[], ctx: BatchContext): Promise<BatchOutcome> {
    return eraseBatchInTransaction(this.kernel, trx, plan, subjectIds, ctx);
  }

  /** Erases many subjects of a brand as one resumable run, one subject per transaction. */
  eraseSubjects(brand: Brand, subjectIds: number[], actor: Actor, opts: RunOptions = {}): Promise<RunProgress> {
    return eraseSubjects(this.kernel, brand, subjectIds, actor, opts);
  }

  /** Continues every unfinished erasure run. */
  resumeRuns(opts: RunOptions = {}): Promise<RunProgress[]> {
    return resumeRuns(this.kernel, opts);
  }

  /** A run's progress and per-subject states. */
  erasureRun(brand: Brand, runId: number): ReturnType<typeof runStatus> {
    return runStatus(this.kernel, brand, runId);
  }

  /** Opens and fulfils a verified erase request for a flagged minor (WSM-22). */
  eraseMinor(brand: Brand, input: MinorErasure, actor: Actor): Promise<RightsRequest> {
    return eraseMinor(this.kernel, brand, input, actor);
  }

  /** Deletes statutory billing records past their keep-until date (the daily job; retention folds it in). */
  expireStatutoryRecords(now = Date.now(), brandIds?: number[]): Promise<{ deleted: number; remaining: number }> {
    return deleteExpiredStatutory(this.kernel.db, now, brandIds);
  }
}
