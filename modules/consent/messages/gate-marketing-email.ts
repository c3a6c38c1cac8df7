/**
 * EmailPreSend (MS-7.2, TOS-1, MS-7.1, SP-5.1): a marketing message goes out only with marketing consent for email
 * (no GPC or sale-sharing opt-out, not suppressed, processing not restricted — asked of the kernel through
 * marketingDecision) and carries its unsubscribe link as merge fields; anything else is aborted.
 * The class comes from the suite's table, never from the message, so a marketing template cannot pass as transactional.
 */
import { onHook } from '../../../core/modules/define-module';
import { consentContextOf } from '../capture/hook-context';
import { marketingDecision } from '../marketing/preferences';
import { unsubscribeUrl } from '../marketing/unsubscribe';
import { classOf } from './template-class';

/** Lets transactional messages through; aborts a marketing message without consent, else adds the unsubscribe merge fields. */
export const gateMarketingEmail = onHook('EmailPreSend', async (ctx) => {
  const { class: cls, source } = await classOf(ctx.trx, ctx.brand, ctx.vars.messagename);
  if (cls === 'transactional') return { data: { messageClass: cls, classSource: source } };
  // For the general (client) emails marketing is sent as, WHMCS's relid is the client id.
  const clientId = ctx.vars.relid;
  const subject = clientId === undefined ? undefined : await ctx.kernel.subjects.findByExternal(ctx.brand.id, 'client', clientId, ctx.trx);
  if (!subject) return { abortsend: true, data: { messageClass: cls, classSource: source, reason: 'subject-unknown' } };
  const decision = await marketingDecision(consentContextOf(ctx), subject.id, 'email');
  if (!decision.allowed) {
    ctx.log.info({ messageClass: cls, reason: decision.reason, subjectId: subject.id }, 'marketing email aborted');
    return { abortsend: true, data: { messageClass: cls, classSource: source, reason: decision.reason } };
  }
  const url = unsubscribeUrl(ctx.kernel, ctx.brand, ctx.profile, subject.id, 'email');
  return {
    // The hook file puts the last two on the message as RFC 8058 headers (List-Unsubscribe, List-Unsubscribe-Post).
    mergefields: { unsubscribe_url: url, list_unsubscribe: `<${url}>`, list_unsubscribe_post: 'List-Unsubscribe=One-Click' },
    data: { messageClass: cls, classSource: source, reason: decision.reason },
  };
});
