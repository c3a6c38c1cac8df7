/**
 * Phase 3, users (WHMCS 8 logins): read and matched, not stored. The register holds people as clients and contacts
 * (the kinds every module knows); a login is a way into client accounts, usually with the owner's own e-mail. The
 * phase counts the users whose e-mail no client or contact of the brand has (`skipped`): their address is then only in
 * WHMCS, and an access or erasure request by that address must be looked up there (docs/whmcs-import.md).
 */
import { apiPages } from './api-pages';
import type { ImportPhase } from './import-context';

type UserRow = { id: number | string; email?: string };

export const usersPhase: ImportPhase<UserRow> = {
  open: (ctx, cursor) => apiPages<UserRow>(ctx.api, 'GetUsers', {}, (a) => (Array.isArray(a.users) ? (a.users as UserRow[]) : []), ctx.pageSize, cursor),
  async write(ctx, trx, rows) {
    const hashes = rows.map((u) => (u.email ? ctx.kernel.keyring.blindIndex(u.email) : ''));
    const found = new Set((await trx('subjects').where({ brand_id: ctx.brand.id }).whereIn('email_hash', hashes.filter(Boolean)).pluck('email_hash')).map(String));
    const matched = hashes.filter((h) => h && found.has(h)).length;
    return { written: 0, unchanged: matched, skipped: rows.length - matched };
  },
};
