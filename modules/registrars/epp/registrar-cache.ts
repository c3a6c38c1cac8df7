/** The module's service: one EPP registrar (one session) per brand, rebuilt when the brand's settings change. */
import crypto from 'node:crypto';
import type { Kernel } from '../../../core/kernel';
import type { Brand } from '../../../core/brands/brand';
import { EppRegistrar, createEppRegistrar } from './epp-registrar';
import { EppSettings, optionsFromSettings } from './settings';
import { EppFailure, registrarError } from './result-codes';

/** The module name, which is also the key of its settings in the profile. */
export const MODULE_NAME = 'registrars/epp';

export class EppRegistrarCache {
  private readonly byBrand = new Map<number, { fingerprint: string; registrar: EppRegistrar }>();

  constructor(private readonly kernel: Kernel) {}

  /** The brand's registrar; throws an EppFailure (REGISTRAR_NOT_CONFIGURED) when its settings are incomplete. */
  async forBrand(brand: Brand): Promise<EppRegistrar> {
    const settings = EppSettings.parse(await this.kernel.settings(MODULE_NAME, brand));
    const fingerprint = crypto.createHash('sha256').update(JSON.stringify(settings)).digest('hex');
    const cached = this.byBrand.get(brand.id);
    if (cached?.fingerprint === fingerprint) return cached.registrar;
    let options;
    try {
      options = optionsFromSettings(settings, process.env, this.kernel.log);
    } catch (err) {
      throw new EppFailure(registrarError('REGISTRAR_NOT_CONFIGURED', `${(err as Error).message} (profile modules["${MODULE_NAME}"] of brand ${brand.slug})`, false));
    }
    if (cached) void cached.registrar.close().catch(() => undefined);
    const registrar = createEppRegistrar({ ...options, name: MODULE_NAME });
    this.byBrand.set(brand.id, { fingerprint, registrar });
    return registrar;
  }

  /** Logs out of every session. */
  async closeAll(): Promise<void> {
    const all = [...this.byBrand.values()];
    this.byBrand.clear();
    await Promise.all(all.map((e) => e.registrar.close().catch(() => undefined)));
  }
}
