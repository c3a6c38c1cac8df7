/** Fulfils objection to marketing (MS-7.1). */
import { SuiteError } from '../../../core/errors';
import type { Fulfiller } from './fulfil-context';

/** TODO(rights): being built. */
export const fulfilObject: Fulfiller = async (c) => {
  throw new SuiteError('SUITE_RIGHTS_WRONG_STATE', { id: c.row.id, status: c.row.status, action: 'fulfilObject', needed: 'implemented' });
};

/** TODO(rights): being built. */
export const fulfilWithdraw: Fulfiller = async (c) => {
  throw new SuiteError('SUITE_RIGHTS_WRONG_STATE', { id: c.row.id, status: c.row.status, action: 'fulfilWithdraw', needed: 'implemented' });
};
