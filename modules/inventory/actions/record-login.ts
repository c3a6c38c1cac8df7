/**
 * UserLogin: the client's last login, the event "last-login" / "last-activity" retention rules count from (MS-9). WHMCS
 * passes the User (a login, not a client); the connector adds the client the user is logged in as (`userid`). Kept
 * twice: the last_login field (usage data the client's export shows) and the last-login event, which outlives a usage
 * rule that deletes the field.
 */
import { onHook } from '../../../core/modules/define-module';

export const recordLogin = onHook('UserLogin', async (ctx) => {
  if (ctx.vars.userid === undefined) return { data: { lastLogin: 'client-not-reported' } };
  // Only a client the inventory knows; an erased one stays erased (MS-8f).
  const s = await ctx.kernel.subjects.findByExternal(ctx.brand.id, 'client', ctx.vars.userid, ctx.trx);
  if (!s) return { data: { lastLogin: 'subject-unknown' } };
  if (s.status === 'erased') return { data: { subjectId: s.id, ignored: 'erased' } };
  const now = Date.now();
  await ctx.kernel.subjects.upsert(ctx.trx, { brandId: ctx.brand.id, kind: 'client', externalId: ctx.vars.userid, fields: { last_login: new Date(now).toISOString() } });
  await ctx.kernel.subjects.recordEvent(ctx.trx, s.id, 'last-login', now);
  return { data: { subjectId: s.id, lastLogin: 'recorded' } };
});
