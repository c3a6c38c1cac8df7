/** A brand: the provider's storefront or a reseller's, with its own controller, profile and hook secret. */
import { z } from 'zod';

export const BrandSlug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'validation.brand.slug');

export const BrandInput = z.object({
  slug: BrandSlug,
  name: z.string().trim().min(1, 'validation.brand.nameRequired').max(190),
  parent: BrandSlug.optional(),
  profile: z.record(z.string(), z.unknown()).optional(),
});
export type BrandInput = z.infer<typeof BrandInput>;

/** A brand as the rest of the suite sees it. */
export interface Brand {
  id: number;
  slug: string;
  name: string;
  kind: 'provider' | 'reseller';
  parentId: number | null;
  createdAt: number;
}
