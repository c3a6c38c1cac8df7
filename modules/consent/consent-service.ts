/**
 * The consent service other modules use (via `kernel.service('consent')`): may a promotional message go out, record a
 * preference or a withdrawal, and the current state of a subject. Each call runs in the caller's transaction when
 * given one, otherwise in its own.
 */
import type { Knex } from 'knex';
import type { Brand } from '../../core/brands/brand';
import type { Kernel } from '../../core/kernel';
import type { PrivacyProfile } from '../../core/profile/schema';
import type { CollectionPoint, ConsentEvent, ConsentMethod, ConsentPurpose, ConsentReceipt } from './ledger/consent-event';
import { recordConsent, stateOf, subjectKey } from './ledger/consent-ledger';
import { MarketingChannel, purposeOf } from './marketing/channels';
import type { ConsentContext } from './marketing/consent-context';
import { marketingDecision, setPreference, type ChoiceResult, type MarketingDecision } from './marketing/preferences';
import { unsubscribeHeadersFor } from './marketing/unsubscribe';
import { withdrawProcessing, type WithdrawalResult } from './withdrawal/withdraw-processing';

/** Request facts and an optional transaction for a service call; `locale` picks the policy version a marketing choice is bound to. */
export interface ServiceCallOptions { trx?: Knex.Transaction; profile?: PrivacyProfile; ip?: string; userAgent?: string; via?: ConsentEvent['channel']; locale?: string }

/** How a preference was expressed. */
export interface PreferenceSource { method?: ConsentMethod; collectionPoint?: CollectionPoint }

/** A subject's consent state: every purpose's last event, and the marketing decision per channel. */
export interface ConsentStateView {
  purposes: PurposeState;
  marketing: Record<MarketingChannel, MarketingDecision>;
}

/** A subject's last ledger event per purpose. */
export type PurposeState = Awaited<ReturnType<typeof stateOf>>;

/** The consent module's service. */
export class ConsentService {
  constructor(private readonly kernel: Kernel) {}

  private async run<T>(brand: Brand | string, opts: ServiceCallOptions, fn: (c: ConsentContext) => Promise<T>): Promise<T> {
    const b = typeof brand === 'string' ? await this.kernel.brands.get(brand) : brand;
    const profile = opts.profile ?? (await this.kernel.brands.profile(b));
    const make = (trx: Knex.Transaction): ConsentContext => ({ kernel: this.kernel, trx, brand: b, profile, ip: opts.ip, userAgent: opts.userAgent, via: opts.via ?? 'api', locale: opts.locale });
    if (opts.trx) return fn(make(opts.trx));
    await this.kernel.keyring.activeKeyId();
    return this.kernel.db.transaction((trx) => fn(make(trx)));
  }

  /** Whether a promotional message may go to the subject on `channel` (consent or opt-out default, no GPC/sale-sharing opt-out, not suppressed). */
  async canSendMarketing(brand: Brand | string, subjectId: number, channel: MarketingChannel, opts: ServiceCallOptions = {}): Promise<boolean> {
    return (await this.marketingDecision(brand, subjectId, channel, opts)).allowed;
  }

  /** The marketing decision with its reason (for admins and logs). */
  async marketingDecision(brand: Brand | string, subjectId: number, channel: MarketingChannel, opts: ServiceCallOptions = {}): Promise<MarketingDecision> {
    return this.run(brand, opts, (c) => marketingDecision(c, subjectId, MarketingChannel.parse(channel)));
  }

  /** Records a marketing choice for a channel (double opt-in where the brand asks; a withdrawal takes effect at once). */
  async setPreference(brand: Brand | string, subjectId: number, channel: MarketingChannel, choice: 'given' | 'withdrawn', source: PreferenceSource = {}, opts: ServiceCallOptions = {}): Promise<ChoiceResult> {
    return this.run(brand, opts, (c) => setPreference(c, subjectId, MarketingChannel.parse(channel), choice, { method: source.method ?? 'checkbox', collectionPoint: source.collectionPoint ?? 'privacy-center' }));
  }

  /** Withdraws consent for a purpose: marketing per channel (suppressed at once), processing (SP-6.1 suspension step and notice), or any other. */
  async withdraw(brand: Brand | string, subjectId: number, purpose: ConsentPurpose, source: PreferenceSource = {}, opts: ServiceCallOptions = {}): Promise<{ receiptId?: string; withdrawalId?: number }> {
    const method = source.method ?? 'checkbox';
    const collectionPoint = source.collectionPoint ?? 'privacy-center';
    return this.run(brand, opts, async (c) => {
      if (purpose.startsWith('marketing:')) {
        const r = await setPreference(c, subjectId, MarketingChannel.parse(purpose.slice('marketing:'.length)), 'withdrawn', { method, collectionPoint });
        return { receiptId: r.receipt?.receiptId };
      }
      if (purpose === 'processing') {
        const r: WithdrawalResult = await withdrawProcessing(c, subjectId, { method, collectionPoint }, opts.via === 'written' ? 'admin' : 'subject');
        return { receiptId: r.receipt.receiptId, withdrawalId: r.withdrawalId };
      }
      const r = await recordConsent(this.kernel, c.trx, c.profile, { brandId: c.brand.id, subjectId, purpose, action: 'withdrawn', method, channel: c.via ?? 'api', collectionPoint, ip: c.ip, userAgent: c.userAgent });
      return { receiptId: r.receiptId };
    });
  }

  /** The subject's current state: last event per purpose and the marketing decision per channel. */
  async stateFor(brand: Brand | string, subjectId: number, opts: ServiceCallOptions = {}): Promise<ConsentStateView> {
    return this.run(brand, opts, async (c) => {
      const purposes = await stateOf(c.trx, c.brand.id, subjectKey(this.kernel, c.brand.id, { subjectId }));
      const marketing = {} as Record<MarketingChannel, MarketingDecision>;
      for (const ch of MarketingChannel.options) marketing[ch] = await marketingDecision(c, subjectId, ch);
      return { purposes, marketing };
    });
  }

  /** Records one ledger event in the caller's transaction (another module's consent, e.g. registrant's consent to publish). */
  async recordEvent(trx: Knex.Transaction, profile: PrivacyProfile, event: ConsentEvent): Promise<ConsentReceipt> {
    return recordConsent(this.kernel, trx, profile, event);
  }

  /** The subject's last ledger event per purpose, read through `db` (the caller's transaction when it has one). */
  async purposeState(db: Knex | Knex.Transaction, brandId: number, subjectId: number): Promise<PurposeState> {
    return stateOf(db, brandId, subjectKey(this.kernel, brandId, { subjectId }));
  }

  /** The List-Unsubscribe / List-Unsubscribe-Post headers for a marketing message to the subject. */
  async unsubscribeHeaders(brand: Brand | string, subjectId: number, channel: MarketingChannel = 'email'): Promise<{ 'List-Unsubscribe': string; 'List-Unsubscribe-Post': string }> {
    const b = typeof brand === 'string' ? await this.kernel.brands.get(brand) : brand;
    return unsubscribeHeadersFor(this.kernel, b, await this.kernel.brands.profile(b), subjectId, channel);
  }

  /** The ledger purpose of a marketing channel. */
  purposeOf(channel: MarketingChannel): ConsentPurpose {
    return purposeOf(channel);
  }
}
