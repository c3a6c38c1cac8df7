/** Newsletter sign-up from the client area: fires the suite-only NewsletterSignup hook (WHMCS has none), MS-2 / SP-3. */
import type { LifecycleDeps } from './clients';
import { Id, NewsletterInput, parse, type CallFacts } from '../schemas';
import { loadActiveClient } from '../store';

/** What a sign-up recorded per channel (given, pending a double opt-in confirmation, or channel-off), from the consent module. */
export interface NewsletterResult { clientId: number; channels: Record<string, string>; failures: number }

/**
 * Signs an active client up for the newsletter. The platform keeps no newsletter flag of its own: the consent ledger
 * is the record. A privacy policy version that does not exist is refused (SUITE_VALIDATION_FAILED) with nothing written.
 */
export async function subscribeNewsletter(d: LifecycleDeps, clientId: number, raw: unknown = {}, facts?: CallFacts): Promise<NewsletterResult> {
  const { kernel } = d;
  parse(Id, clientId, 'clientId');
  const input = parse(NewsletterInput, raw, 'newsletter');
  const client = await loadActiveClient(kernel, clientId, 'subscribeNewsletter');
  const call = await d.hooks.context(await kernel.brands.getById(client.brandId), facts);
  const res = await d.hooks.after('NewsletterSignup', call, { userid: clientId, channels: input.channels, privacy_version_shown: input.privacy_version_shown });
  const consent = res.data?.consent;
  const channels = consent && typeof consent === 'object' && 'newsletter' in consent ? (consent.newsletter as Record<string, string>) : {};
  return { clientId, channels, failures: res.failures };
}
