/** The principal of a logged-in admin user: the same shape as an API key's (role and brand scope), plus who the user is. */
import type { Principal } from '../apikeys/api-keys';

/** A user's principal; `keyId` is `user-<id>` so code written for keys keeps working. */
export interface UserPrincipal extends Principal { userId: number; email: string }

/** Whether a principal is a logged-in user's (not an API key's). */
export function isUserPrincipal(p: Principal): p is UserPrincipal {
  return typeof (p as Partial<UserPrincipal>).userId === 'number';
}
