/** Fulfils rectification (MS-8e). */
import { SuiteError } from '../../../core/errors';
import type { Fulfiller } from '../requests/fulfil-context';

/** TODO(rights): being built. */
export const fulfilRectify: Fulfiller = async (c) => {
  throw new SuiteError('SUITE_RIGHTS_WRONG_STATE', { id: c.row.id, status: c.row.status, action: 'fulfilRectify', needed: 'implemented' });
};
