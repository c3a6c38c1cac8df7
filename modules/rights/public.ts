/** What other modules may use of rights: its service (`kernel.service<RightsService>('rights')`) and the types it speaks. */
export type { RightsService } from './rights-service';
export type { BatchTurn } from './erase/erase-batch';
export type { ErasurePlan } from './erase/erasure-plan';
export type { RunProgress } from './erase/erasure-runs';
