/** What each kind of answer (export, erasure, rectification …) receives to fulfil a verified request. */
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import type { RightsSettings } from '../settings';
import type { RequestRow } from './request-store';
import type { RightsRequest } from './request-types';

export interface FulfilContext {
  kernel: Kernel;
  /** The brand the person is a customer of, and its effective profile and rights settings. */
  brand: Brand;
  profile: PrivacyProfile;
  settings: RightsSettings;
  row: RequestRow;
  request: RightsRequest;
  actor: Actor;
  ip?: string;
}

/** Fulfils one request type; returns the result stored (encrypted) with the request and shown to the controller. */
export type Fulfiller = (c: FulfilContext) => Promise<Record<string, unknown>>;
