/** Reads what the policy page needs beside the profile: the brand, its parent, its modules and a few of their settings. */
import { z } from 'zod';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { cookieSettingsOf } from '../cookies/cookie-settings';
import type { PolicySettings } from './policy-view';

/** The parts of other modules' settings the page shows (their own schemas validate the whole section on save). */
const RegistrantPart = z.object({
  privacyService: z.unknown().optional(),
  reveal: z.object({ responseDays: z.number().int().positive().default(14) }).passthrough().default({}),
}).passthrough();
const RightsPart = z.object({ export: z.object({ linkTtlHours: z.number().int().positive().default(72) }).passthrough().default({}) }).passthrough();

/** The brand's policy settings from its effective profile and module switches (pure once the lookups are done). */
export function settingsFrom(profile: PrivacyProfile, brand: Pick<Brand, 'slug' | 'name'>, enabledModules: string[], parentName?: string): PolicySettings {
  const registrant = RegistrantPart.safeParse(profile.modules.registrant ?? {});
  const rights = RightsPart.safeParse(profile.modules.rights ?? {});
  return {
    brand: { slug: brand.slug, name: brand.name },
    parentName,
    enabledModules,
    cookiePolicyUrl: cookieSettingsOf(profile.modules.consent ?? {}).policyUrl,
    registrant: enabledModules.includes('registrant') && registrant.success
      ? { privacyService: registrant.data.privacyService !== undefined, revealResponseDays: registrant.data.reveal.responseDays }
      : undefined,
    exportLinkHours: enabledModules.includes('rights') && rights.success ? rights.data.export.linkTtlHours : undefined,
  };
}

/** Looks up the brand's parent and switched-on modules, then builds its policy settings. */
export async function policySettings(kernel: Kernel, brand: Brand, profile: PrivacyProfile): Promise<PolicySettings> {
  const enabled: string[] = [];
  for (const m of kernel.modules.list()) if (await kernel.modules.enabledFor(kernel.brands, brand, m.name)) enabled.push(m.name);
  const parent = brand.parentId !== null ? await kernel.brands.getById(brand.parentId) : undefined;
  return settingsFrom(profile, brand, enabled.sort(), parent?.name);
}
