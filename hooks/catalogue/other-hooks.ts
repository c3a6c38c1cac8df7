/** Email, cron and suite-only hooks. */
import { z } from 'zod';
import { hookSpec } from './hook-spec';
import { wArray, wInt, wStr } from './whmcs-types';

export const otherHooks = {
  EmailPreSend: hookSpec({
    kind: 'pre', answer: 'abortsend', group: 'everything-else', description: 'An email is about to be sent; may add merge fields or abort the send.',
    vars: z.object({ messagename: wStr, relid: wInt.optional(), mergefields: wArray.optional(), userid: wInt.optional() }),
  }),
  DailyCronJob: hookSpec({ kind: 'after', answer: 'none', group: 'cron', description: 'The daily cron run.', vars: z.object({}).passthrough() }),
  AbuseComplaint: hookSpec({
    kind: 'after', answer: 'none', group: 'suite', description: 'Suite-only: an abuse (spam) complaint against a service; may suspend it (ESM-4).',
    vars: z.object({
      serviceid: wInt, userid: wInt.optional(), source: z.string().max(190).optional(), category: z.enum(['spam', 'phishing', 'malware', 'copyright', 'other']).default('spam'),
      reference: z.string().max(190).optional(), suspend: z.boolean().optional(),
    }),
  }),
};
