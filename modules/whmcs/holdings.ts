/**
 * What WHMCS holds about a client that the suite does not (MS-9, issue 15 point 11): an email log and an opt-in history
 * for every client (correspondence, usage), and its support tickets (correspondence). Recorded as holdings of holder
 * 'whmcs' for brands that write back, so the retention sweep selects the client by them and expire.ts can reach WHMCS.
 * ClientAdd and the import open both holdings; TicketOpen and TicketUserReply (re)open the correspondence one.
 */
import type { Knex } from 'knex';
import type { Brand } from '../../core/brands/brand';
import type { Kernel } from '../../core/kernel';
import { onHook, type HookHandlerContext } from '../../core/modules/define-module';
import { moduleSettings } from '../../core/profile/module-settings';
import type { DataCategory, PrivacyProfile } from '../../core/profile/schema';
import type { HookName } from '../../hooks/catalogue';
import { WhmcsSettings, writesBack } from './settings';

export const WHMCS_HOLDER = 'whmcs';

/** What WHMCS keeps for every client from its creation on: the email log and the opt-in history. */
const CLIENT_CATEGORIES: DataCategory[] = ['correspondence', 'usage'];

/** Whether the brand's WHMCS side is one the suite expires (it writes back there). */
export const holdsInWhmcs = (profile: PrivacyProfile): boolean => writesBack(moduleSettings(WhmcsSettings, profile, 'whmcs'));

/** Records that WHMCS holds the client categories of each subject since the time given (the earliest stays). */
export async function recordClientHoldings(kernel: Kernel, trx: Knex.Transaction, clients: { subjectId: number; since: number }[]): Promise<void> {
  await kernel.subjects.recordHoldings(trx, clients.flatMap((c) => CLIENT_CATEGORIES.map((category) => ({ subjectId: c.subjectId, holder: WHMCS_HOLDER, category, since: c.since }))));
}

/** The brand's known, not erased client `userid`; the answer's reason when there is none. */
async function knownClient(ctx: HookHandlerContext<HookName>, brand: Brand, userid: number | undefined): Promise<{ id: number } | { reason: string }> {
  if (!holdsInWhmcs(ctx.profile)) return { reason: 'not-writing-back' };
  if (userid === undefined) return { reason: 'client-not-reported' };
  const s = await ctx.kernel.subjects.findByExternal(brand.id, 'client', userid, ctx.trx);
  if (!s) return { reason: 'subject-unknown' };
  if (s.status === 'erased') return { reason: 'erased' };
  return { id: s.id };
}

/** ClientAdd (after the inventory recorded the client): WHMCS keeps an email log and opt-in history for it from now on. */
export const recordNewClientHoldings = onHook('ClientAdd', async (ctx) => {
  const s = await knownClient(ctx, ctx.brand, ctx.vars.client_id ?? ctx.vars.userid);
  if ('reason' in s) return { data: { holdings: s.reason } };
  await recordClientHoldings(ctx.kernel, ctx.trx, [{ subjectId: s.id, since: Date.now() }]);
  return { data: { subjectId: s.id, holdings: 'recorded' } };
});

/** A ticket or a reply from the client: WHMCS holds correspondence of it again (a holding cleared by retention re-opens). */
async function recordTicketHolding(ctx: HookHandlerContext<HookName>, userid: number | undefined): Promise<{ data: Record<string, unknown> }> {
  const s = await knownClient(ctx, ctx.brand, userid);
  if ('reason' in s) return { data: { holdings: s.reason } };
  await ctx.kernel.subjects.recordHoldings(ctx.trx, [{ subjectId: s.id, holder: WHMCS_HOLDER, category: 'correspondence', since: Date.now() }]);
  return { data: { subjectId: s.id, holdings: 'recorded' } };
}

export const recordTicketOpened = onHook('TicketOpen', (ctx) => recordTicketHolding(ctx, ctx.vars.userid));
export const recordTicketReply = onHook('TicketUserReply', (ctx) => recordTicketHolding(ctx, ctx.vars.userid));
