/** A brand's page look: the profile's `branding`, its name defaulting to the brand's name. */
import type { Brand } from '../brands/brand';
import type { Kernel } from '../kernel';
import type { Branding, PrivacyProfile } from '../profile/schema';
import type { Request } from 'express';
import { pageLocale } from './locale';

/** The branding of `brand` from its effective profile. */
export function brandingOf(brand: Pick<Brand, 'name'>, profile: Pick<PrivacyProfile, 'branding'>): Branding {
  return { ...profile.branding, name: profile.branding?.name ?? brand.name };
}

/** What every page of a brand needs from the request and the brand's profile: the reader's locale and the look. */
export async function pageBasics(kernel: Kernel, req: Request, brand: Brand): Promise<{ locale: string; branding: Branding }> {
  const profile = await kernel.brands.profile(brand);
  return { locale: pageLocale(req, profile.locale), branding: brandingOf(brand, profile) };
}
