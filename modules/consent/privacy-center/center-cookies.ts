/**
 * Cookie settings in the privacy center: the cookie categories the brand's banner offers, as recorded for this person
 * (the ledger keyed by the subject, as a banner choice with the person's subject token is), and a change recorded as
 * one ledger event per category that changed (method 'checkbox', collection point 'privacy-center').
 */
import { z } from 'zod';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import { brandBanner, cookieState } from '../cookies/cookie-choice';
import type { OptionalCategory } from '../cookies/banner-config';
import type { ConsentPurpose } from '../ledger/consent-event';
import { recordConsent, stateOf, subjectKey } from '../ledger/consent-ledger';

const PURPOSE: Record<OptionalCategory, ConsentPurpose> = { analytics: 'cookies:analytics', marketing: 'cookies:marketing', social: 'cookies:social' };

/** The posted form: a checked box is present ("on"), an unchecked one absent. */
export const CookieForm = z.object({ analytics: z.literal('on').optional(), marketing: z.literal('on').optional(), social: z.literal('on').optional() });

/** The categories the brand offers and whether each is on for the person now. */
export async function centerCookies(kernel: Kernel, brand: Brand, subjectId: number): Promise<{ category: OptionalCategory; on: boolean }[]> {
  const { config } = await brandBanner(kernel, brand);
  const state = await cookieState(kernel, kernel.db, brand.id, config, { subjectId, visitorId: `subject-${subjectId}` }, false);
  return config.categories.map((c) => ({ category: c, on: state.categories[c] }));
}

/** Records the person's new cookie choice; answers how many ledger events it wrote. */
export async function saveCenterCookies(kernel: Kernel, brand: Brand, subjectId: number, form: CookieForm, facts: { ip?: string; userAgent?: string }): Promise<number> {
  const { profile, config } = await brandBanner(kernel, brand);
  await kernel.keyring.activeKeyId(); // load the key before the transaction (SQLite has one connection)
  return kernel.db.transaction(async (trx) => {
    const current = await stateOf(trx, brand.id, subjectKey(kernel, brand.id, { subjectId }));
    let written = 0;
    for (const c of config.categories) {
      const wanted = form[c] === 'on';
      const cur = current[PURPOSE[c]];
      const isOn = cur ? cur.action === 'given' : config.mode === 'notice-only';
      if (cur && isOn === wanted) continue;
      if (!cur && !wanted && !isOn) continue;
      await recordConsent(kernel, trx, profile, {
        brandId: brand.id, subjectId, purpose: PURPOSE[c], action: wanted ? 'given' : cur?.action === 'given' ? 'withdrawn' : 'rejected',
        method: 'checkbox', channel: 'web', collectionPoint: 'privacy-center', bannerVersion: config.bannerVersion, ip: facts.ip, userAgent: facts.userAgent,
      });
      written++;
    }
    return written;
  });
}
export type CookieForm = z.infer<typeof CookieForm>;
