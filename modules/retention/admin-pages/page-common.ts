/**
 * What the retention pages share: the service, the brand's page URLs, and who did something (`user:3` as the panel
 * user's e-mail; API keys, the CLI and the scheduler as they are stored).
 */
import type { Request } from 'express';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import { AdminUsers } from '../../../core/users/admin-users';
import type { RetentionService } from '../retention-service';

/** The module's service. */
export const retentionOf = (kernel: Kernel): RetentionService => kernel.service<RetentionService>('retention');

/** The URL of one of the brand's retention pages (`rules`, `holds`, `runs/3`). */
export const pageUrl = (brand: Brand, path: string): string => `/admin/brands/${encodeURIComponent(brand.slug)}/retention/${path}`;

/** A function naming the actors stored as `type:id`: a panel user by e-mail, anything else as stored. */
export async function actorNames(kernel: Kernel): Promise<(stored: string | null) => string> {
  const emails = new Map((await new AdminUsers(kernel).list()).map((u) => [`user:${u.id}`, u.email]));
  return (stored) => (stored === null ? '' : emails.get(stored) ?? stored);
}

/** The brand the panel resolved for this request. */
export const brandOf = (req: Request): Brand => req.brand!;
