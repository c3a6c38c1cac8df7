/** Fulfils erasure (MS-8f, TOS-1.4). */
import { SuiteError } from '../../../core/errors';
import type { Fulfiller } from '../requests/fulfil-context';

/** TODO(rights): being built. */
export const fulfilErase: Fulfiller = async (c) => {
  throw new SuiteError('SUITE_RIGHTS_WRONG_STATE', { id: c.row.id, status: c.row.status, action: 'fulfilErase', needed: 'implemented' });
};
