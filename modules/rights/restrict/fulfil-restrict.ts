/** Fulfils restriction of processing (SP-5.1). */
import { SuiteError } from '../../../core/errors';
import type { Fulfiller } from '../requests/fulfil-context';

/** TODO(rights): being built. */
export const fulfilRestrict: Fulfiller = async (c) => {
  throw new SuiteError('SUITE_RIGHTS_WRONG_STATE', { id: c.row.id, status: c.row.status, action: 'fulfilRestrict', needed: 'implemented' });
};
