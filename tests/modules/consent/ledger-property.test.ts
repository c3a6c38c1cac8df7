/** Property: any interleaving of give/withdraw events leaves the state table equal to the state derived from the ledger and to the last event per subject and purpose. */
import fc from 'fast-check';
import { startTestSuite, PROVIDER_PROFILE, type TestSuite } from '../../helpers/test-suite';
import { recordConsent, subjectKey } from '../../../modules/consent/ledger/consent-ledger';
import { deriveState, type LedgerEntry } from '../../../modules/consent/ledger/derive-state';
import type { ConsentPurpose, ConsentAction } from '../../../modules/consent/ledger/consent-event';
import { PrivacyProfile } from '../../../core/profile/schema';
import { onMysql } from '../../helpers/test-db';

let t: TestSuite;
const profile = PrivacyProfile.parse(PROVIDER_PROFILE);
const PURPOSES: ConsentPurpose[] = ['marketing:email', 'marketing:sms', 'cookies:analytics', 'terms'];

beforeAll(async () => {
  t = await startTestSuite({ http: false });
});
afterAll(() => t.close());

const event = fc.record({
  subject: fc.integer({ min: 1, max: 3 }),
  purpose: fc.constantFrom(...PURPOSES),
  action: fc.constantFrom<ConsentAction>('given', 'withdrawn'),
  // Events recorded together in one transaction, or each in its own.
  sameTransaction: fc.boolean(),
});

describe('consent state derivation', () => {
  it('MS-2: any interleaving of give/withdraw events leaves consent_state = deriveState(ledger) = the last event per subject and purpose', async () => {
    let run = 0;
    await fc.assert(fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 25 }), async (events) => {
      // Each run files its events under a brand id of its own, so runs do not see each other.
      const brandId = 1000 + (run += 1);
      const kernel = t.suite.kernel;
      let i = 0;
      while (i < events.length) {
        let j = i + 1;
        while (j < events.length && events[j].sameTransaction) j += 1;
        const batch = events.slice(i, j);
        await kernel.db.transaction(async (trx) => {
          for (const e of batch) {
            await recordConsent(kernel, trx, profile, { brandId, subjectId: e.subject, purpose: e.purpose, action: e.action, method: 'checkbox', channel: 'web', collectionPoint: 'privacy-center' });
          }
        });
        i = j;
      }
      const expected = new Map<string, ConsentAction>();
      for (const e of events) expected.set(`${subjectKey(kernel, brandId, { subjectId: e.subject })}|${e.purpose}`, e.action);

      const ledger = (await kernel.db('consent_ledger').where({ brand_id: brandId }).select('seq', 'subject_key', 'purpose', 'action', 'receipt_id'))
        .map((r: Record<string, unknown>): LedgerEntry => ({ seq: Number(r.seq), subjectKey: String(r.subject_key), purpose: r.purpose as ConsentPurpose, action: r.action as ConsentAction, receiptId: String(r.receipt_id) }));
      expect(ledger).toHaveLength(events.length);
      const derived = new Map<string, string>();
      for (const [key, perPurpose] of deriveState(ledger)) for (const [purpose, e] of perPurpose) derived.set(`${key}|${purpose}`, `${e.action}:${e.receiptId}`);

      const table = new Map<string, string>();
      for (const r of (await kernel.db('consent_state').where({ brand_id: brandId })) as { subject_key: string; purpose: string; action: string; receipt_id: string }[]) {
        table.set(`${r.subject_key}|${r.purpose}`, `${r.action}:${r.receipt_id}`);
      }
      expect(table).toEqual(derived);
      expect(new Map([...derived].map(([k, v]) => [k, v.split(':')[0]]))).toEqual(expected);
    }), { numRuns: onMysql() ? 25 : 60 });
  });
});
