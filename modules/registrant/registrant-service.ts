/** The registrant module's service for other modules (RDAP, rights): publishable fields, consent to publish, ID protection. */
import type { Brand } from '../../core/brands/brand';
import { SuiteError } from '../../core/errors';
import type { Kernel } from '../../core/kernel';
import { publishableFields, recordPublishConsent, type PublishConsentInput } from './consent/publish-consent';
import type { PublishField } from './contacts/disclose';
import { updateDomain } from './flows/update-domain';
import type { RegistrantSettings } from './settings';
import { findDomain, storedParams } from './store/domain-store';

export class RegistrantService {
  constructor(private readonly kernel: Kernel) {}

  private async brand(b: Brand | number | string): Promise<Brand> {
    return typeof b === 'number' ? this.kernel.brands.getById(b) : typeof b === 'string' ? this.kernel.brands.get(b) : b;
  }

  /** The fields the registrant of `domain` consented to publish (RDAP and WHOIS show exactly these). */
  async publishableFields(brandId: number, domain: string): Promise<PublishField[]> {
    return publishableFields(this.kernel, this.kernel.db, brandId, domain);
  }

  /** Records consent to publish `fields` (empty: withdraws it) and re-sends the domain's contacts when they change. */
  async consentToPublish(brand: Brand | number | string, input: Omit<PublishConsentInput, 'brandId'>): Promise<{ receiptId: string; fields: PublishField[]; outboxId: number | null }> {
    const b = await this.brand(brand);
    const profile = await this.kernel.brands.profile(b);
    const settings = await this.kernel.settings<RegistrantSettings>('registrant', b);
    await this.kernel.keyring.activeKeyId();
    return this.kernel.db.transaction(async (trx) => {
      const r = await recordPublishConsent(this.kernel, trx, profile, { ...input, brandId: b.id });
      const row = await findDomain(trx, b.id, input.domain);
      const outboxId = row ? await updateDomain({ kernel: this.kernel, trx, profile, settings, row, params: await storedParams(this.kernel, trx, row.id) }) : null;
      return { ...r, outboxId };
    });
  }

  /** Switches ID protection for a known domain (IDProtectToggle): stored, and the contacts to publish queued for the registrar. */
  async setIdProtection(brand: Brand | number | string, domain: string, enabled: boolean): Promise<{ outboxId: number | null }> {
    const b = await this.brand(brand);
    const profile = await this.kernel.brands.profile(b);
    const settings = await this.kernel.settings<RegistrantSettings>('registrant', b);
    await this.kernel.keyring.activeKeyId();
    return this.kernel.db.transaction(async (trx) => {
      const row = await findDomain(trx, b.id, domain);
      if (!row) throw new SuiteError('SUITE_NOT_FOUND', { what: 'domain', id: domain });
      return { outboxId: await updateDomain({ kernel: this.kernel, trx, profile, settings, row, params: await storedParams(this.kernel, trx, row.id), idProtect: enabled }) };
    });
  }
}
