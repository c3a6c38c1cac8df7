/** The roles an admin API key can have; the profile's access table (MS-1.2, ESM-3) names them per data category. */
import { z } from 'zod';

/**
 * owner: every brand. admin: everything within its brand scope. reseller: its brand and those below. auditor: read
 * only. support: read only, the categories a helpdesk needs. spam-control: read only, the only role that sees
 * customers' mail content by default (ESM-3). Which personal data a role reads is decided by the profile's `access`.
 */
export const Role = z.enum(['owner', 'admin', 'reseller', 'auditor', 'support', 'spam-control']);
export type Role = z.infer<typeof Role>;

/** Roles that may change things; every other role reads only. */
export const WRITE_ROLES: readonly Role[] = ['owner', 'admin', 'reseller'];
