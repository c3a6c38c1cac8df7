/** Fulfils access and portability (MS-8b): builds the export zip and its one-time link. */
import { SuiteError } from '../../../core/errors';
import type { Fulfiller } from '../requests/fulfil-context';

/** TODO(rights): being built. */
export const fulfilAccess: Fulfiller = async (c) => {
  throw new SuiteError('SUITE_RIGHTS_WRONG_STATE', { id: c.row.id, status: c.row.status, action: 'fulfilAccess', needed: 'implemented' });
};
