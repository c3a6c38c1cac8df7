/** The rights module's service for other modules and the CLI (retention uses its erasure, so the two never disagree). */
import type { Actor } from '../../core/audit/audit-log';
import type { Brand } from '../../core/brands/brand';
import type { Kernel } from '../../core/kernel';
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
}
