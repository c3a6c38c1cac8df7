/**
 * DataSubjectRequest (suite-only hook, MS-8): a customer asks from the billing panel. Opens the request in the
 * hook's transaction — so it commits with the call's idempotency record and a replay opens nothing new — and
 * answers `data.requestId`. `loggedin` is the panel vouching for its logged-in client-area session: the request is
 * recorded as verified with method 'panel-session' (MS-8d). A pre hook, so a request that cannot open answers an
 * error to the panel instead of a 200 without an id.
 */
import { validationError, zodIssues, fieldIssue } from '../../../core/errors';
import { onHook } from '../../../core/modules/define-module';
import { insertRequest, prepareRequest } from '../requests/open-request';
import { RequestInput } from '../requests/request-types';

/** The `openFromPanel` action: validates, opens, answers `data: { requestId, status, dueAt, subjectLinked }`. */
export const openFromPanel = onHook('DataSubjectRequest', async (ctx) => {
  const { vars, trx, kernel, brand } = ctx;
  const parsed = RequestInput.safeParse({
    type: vars.type,
    client: vars.contactid !== undefined ? { kind: 'contact', id: vars.contactid } : { kind: 'client', id: vars.userid },
    email: vars.email, message: vars.message, changes: vars.changes, channels: vars.channels, locale: ctx.call.locale,
  });
  if (!parsed.success) throw validationError(zodIssues(parsed.error.issues.map((i) => ({ ...i, path: i.path[0] === 'client' ? [vars.contactid !== undefined ? 'contactid' : 'userid'] : i.path })), 'vars'));
  const input = parsed.data;
  const actor = { type: 'hook' as const, id: 'DataSubjectRequest' };
  const opts = {
    source: 'hook' as const, actor, ip: ctx.call.ip,
    verification: vars.loggedin === true ? { method: 'panel-session' as const, by: actor } : undefined,
  };
  const prepared = await prepareRequest(kernel, brand, input, { ...opts, db: trx, profile: ctx.profile });
  if (vars.contactid !== undefined && prepared.subject) {
    // A client asks for one of their own contacts, never for another client's.
    const client = await kernel.subjects.findByExternal(brand.id, 'client', vars.userid, trx);
    if (!client || prepared.subject.parentId !== client.id) throw validationError([fieldIssue('vars.contactid', 'validation.rights.contactNotOfClient')]);
  }
  const id = await insertRequest(kernel, trx, prepared, input, opts);
  return { data: { requestId: id, status: opts.verification ? 'verified' : 'received', dueAt: prepared.dueAt, subjectLinked: Boolean(prepared.subject) } };
});
