/** Email, cron and suite-only hooks. */
import { z } from 'zod';
import { hookSpec, whmcsHook, added } from './hook-spec';
import { policyVersion, wArray, wBool, wEmail, wInt, wStr } from './whmcs-types';

export const otherHooks = {
  EmailPreSend: whmcsHook({
    kind: 'pre', answer: 'abortsend', group: 'everything-else', description: 'An email is about to be sent; may add merge fields or abort the send.',
    whmcs: { messagename: wStr, relid: wInt.optional(), mergefields: wArray.optional() },
  }),
  UserLogin: whmcsHook({
    kind: 'after', answer: 'none', group: 'authentication',
    description: 'A user logged in to the client area: the client\'s last login, the event "last-login" retention rules count from.',
    whmcs: { user: z.object({ id: wInt.optional() }).passthrough().optional() },
    connector: { userid: added(wInt.optional(), "WHMCS's session after the login: the client the user is logged in as ($_SESSION['uid']); `user` is reduced to plain data (its id, no password)") },
  }),
  DataSubjectRequest: hookSpec({
    kind: 'pre', answer: 'none', group: 'suite',
    description: 'Suite-only: a customer asks from the panel to see, correct, erase, restrict or object to their data (MS-8). Opens a rights request; the answer\'s data.requestId names it. loggedin: the panel vouches that the customer asked from their logged-in session (MS-8d).',
    vars: z.object({
      userid: wInt,
      type: z.enum(['confirm', 'access', 'portability', 'rectify', 'erase', 'restrict', 'object', 'withdraw-consent']),
      contactid: wInt.optional(),
      email: z.preprocess((v) => (v === '' || v === null ? undefined : v), wEmail.optional()),
      message: z.string().max(5000).optional(),
      changes: z.record(z.string(), wStr).optional(),
      channels: z.array(z.enum(['email', 'sms', 'phone'])).optional(),
      loggedin: wBool.optional(),
    }),
  }),
  NewsletterSignup: hookSpec({
    kind: 'after', answer: 'none', group: 'suite',
    description: 'Suite-only: a client signed up for the newsletter (WHMCS has no such hook). Records marketing consent per channel (email by default), bound to the privacy policy version shown (privacy_version_shown) in the person\'s language (MS-2 / SP-3); double opt-in where the brand asks.',
    vars: z.object({
      userid: wInt,
      channels: z.array(z.enum(['email', 'sms', 'phone'])).min(1).max(3).default(['email']),
      privacy_version_shown: policyVersion,
    }),
  }),
  AbuseComplaint: hookSpec({
    kind: 'after', answer: 'none', group: 'suite', description: 'Suite-only: an abuse (spam) complaint against a service; may suspend it (ESM-4).',
    vars: z.object({
      serviceid: wInt, userid: wInt.optional(), source: z.string().max(190).optional(), category: z.enum(['spam', 'phishing', 'malware', 'copyright', 'other']).default('spam'),
      reference: z.string().max(190).optional(), suspend: z.boolean().optional(),
    }),
  }),
};
