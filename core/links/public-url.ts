/** The public base URL links in messages point at: `profile.modules.consent.publicUrl`, else the suite's own host and port. */
import type { Kernel } from '../kernel';
import type { PrivacyProfile } from '../profile/schema';

/** The base URL (no trailing slash) for links a person opens from an email. */
export function publicBaseUrl(kernel: Kernel, profile: PrivacyProfile): string {
  const configured = profile.modules?.consent?.publicUrl;
  if (typeof configured === 'string' && /^https?:\/\//.test(configured)) return configured.replace(/\/+$/, '');
  return `http://${kernel.config.host}:${kernel.config.port}`;
}
