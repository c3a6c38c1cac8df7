/**
 * Records a visitor's cookie choice in the consent ledger (MS-1): one event per offered category that changed, with the
 * banner version shown, method 'implied' in notice-only mode and 'banner' in opt-in mode; a GPC signal refuses
 * marketing cookies and records the sale/sharing opt-out (WSM-11).
 */
import { z } from 'zod';
import type { Knex } from 'knex';
import type { Brand } from '../../../core/brands/brand';
import { validationError, zodIssues, fieldIssue } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { PrivacyProfile } from '../../../core/profile/schema';
import { recordConsent, stateOf, subjectKey } from '../ledger/consent-ledger';
import type { ConsentPurpose } from '../ledger/consent-event';
import { verifySignedLink } from '../../../core/links/signed-link';
import { recordGpcOptOut } from '../gpc/gpc-signal';
import { bannerConfig, type BannerConfig, type OptionalCategory } from './banner-config';
import { cookieSettingsOf } from './cookie-settings';

/** The signed-link purpose of a token that ties a banner choice to a known subject (`data-subject-token` on the script tag). */
export const COOKIE_SUBJECT_LINK = 'cookie-consent';

/** A visitor id as the script makes it (32 hex), or any opaque id of 16–128 url-safe characters. */
export const VisitorId = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, '16–128 letters, digits, "-" or "_"');

/** The body of POST /b/:brand/consent/cookies. */
export const CookieChoice = z.object({
  visitorId: VisitorId,
  choices: z.object({ analytics: z.boolean(), marketing: z.boolean(), social: z.boolean() }),
  bannerVersion: z.string().regex(/^[a-f0-9]{8,32}$/, 'validation.consent.bannerVersion'),
  subjectToken: z.string().min(1).max(2048).optional(),
});
export type CookieChoice = z.infer<typeof CookieChoice>;

/** Request facts recorded with the choice. */
export interface RequestFacts { ip?: string; userAgent?: string; gpc: boolean }

/** What the endpoints answer: the visitor's current cookie state. */
export interface CookieState {
  visitorId: string;
  mode: PrivacyProfile['cookies']['mode'];
  bannerVersion: string;
  decided: boolean;
  categories: Record<'necessary' | OptionalCategory, boolean>;
  saleSharing: 'given' | 'withdrawn' | 'rejected' | 'expired' | null;
  receipts: string[];
}

/** Parses input with a schema, or throws 400 naming each failing field. */
export function parseOr400<T extends z.ZodTypeAny>(schema: T, input: unknown): z.infer<T> {
  const r = schema.safeParse(input);
  if (!r.success) throw validationError(zodIssues(r.error.issues));
  return r.data as z.infer<T>;
}

/** The subject a token names (null without a token); a bad, expired or foreign token is a 400 on `subjectToken`. */
export function subjectFromToken(kernel: Kernel, brand: Brand, token: string | undefined): number | null {
  if (token === undefined) return null;
  try {
    const claims = verifySignedLink(kernel, token, COOKIE_SUBJECT_LINK);
    if (claims.brandId === brand.id) return claims.subjectId;
  } catch {
    // reported below as a field error
  }
  throw validationError([fieldIssue('subjectToken', 'validation.consent.subjectToken')]);
}

const CATEGORY_PURPOSE: Record<OptionalCategory, ConsentPurpose> = { analytics: 'cookies:analytics', marketing: 'cookies:marketing', social: 'cookies:social' };

/** Reads the current state of a visitor (or subject) from the derived state table. */
export async function cookieState(kernel: Kernel, db: Knex | Knex.Transaction, brandId: number, config: BannerConfig, who: { subjectId: number | null; visitorId: string }, gpc: boolean, receipts: string[] = []): Promise<CookieState> {
  const state = await stateOf(db, brandId, subjectKey(kernel, brandId, who));
  const categories = { necessary: true, analytics: false, marketing: false, social: false };
  let decided = false;
  for (const c of config.categories) {
    const s = state[CATEGORY_PURPOSE[c]];
    if (s) decided = true;
    categories[c] = s ? s.action === 'given' : config.mode === 'notice-only';
  }
  if (gpc && config.honourGpc) categories.marketing = false;
  return { visitorId: who.visitorId, mode: config.mode, bannerVersion: config.bannerVersion, decided, categories, saleSharing: state['sale-sharing']?.action ?? null, receipts };
}

/** The brand's banner as served now (profile and consent settings resolved outside any transaction). */
export async function brandBanner(kernel: Kernel, brand: Brand): Promise<{ profile: PrivacyProfile; config: BannerConfig }> {
  const profile = await kernel.brands.profile(brand);
  return { profile, config: bannerConfig(profile, cookieSettingsOf(await kernel.settings('consent', brand))) };
}

/** Answers a visitor's state; a GPC signal on the request is recorded first (once). */
export async function readCookieState(kernel: Kernel, brand: Brand, query: unknown, facts: RequestFacts): Promise<CookieState> {
  const q = parseOr400(z.object({ visitorId: VisitorId, subjectToken: z.string().min(1).max(2048).optional() }), query);
  const subjectId = subjectFromToken(kernel, brand, q.subjectToken);
  const { profile, config } = await brandBanner(kernel, brand);
  const who = { subjectId, visitorId: q.visitorId };
  const gpc = facts.gpc && profile.cookies.honourGpc;
  if (!gpc) return cookieState(kernel, kernel.db, brand.id, config, who, false);
  await kernel.keyring.activeKeyId();
  return kernel.db.transaction(async (trx) => {
    const r = await recordGpcOptOut(kernel, trx, profile, { brandId: brand.id, ...who, channel: 'web', collectionPoint: 'cookie-banner', ip: facts.ip, userAgent: facts.userAgent?.slice(0, 1000) });
    return cookieState(kernel, trx, brand.id, config, who, true, r ? [r.receiptId] : []);
  });
}

/** Records a choice (only the categories the brand offers, only where something changed) and answers the new state. */
export async function recordCookieChoice(kernel: Kernel, brand: Brand, input: unknown, facts: RequestFacts): Promise<CookieState> {
  const body = parseOr400(CookieChoice, input);
  const subjectId = subjectFromToken(kernel, brand, body.subjectToken);
  const { profile, config } = await brandBanner(kernel, brand);
  await kernel.keyring.activeKeyId(); // load the key before the transaction (SQLite has one connection)
  const gpc = facts.gpc && profile.cookies.honourGpc;
  const method = config.mode === 'notice-only' ? 'implied' : 'banner';
  const who = { subjectId, visitorId: body.visitorId };
  return kernel.db.transaction(async (trx) => {
    const receipts: string[] = [];
    const common = { brandId: brand.id, ...who, channel: 'web' as const, collectionPoint: 'cookie-banner' as const, ip: facts.ip, userAgent: facts.userAgent?.slice(0, 1000) };
    if (gpc) {
      const r = await recordGpcOptOut(kernel, trx, profile, common);
      if (r) receipts.push(r.receiptId);
    }
    const current = await stateOf(trx, brand.id, subjectKey(kernel, brand.id, who));
    const shownBefore = await bannerVersions(trx, Object.values(current).map((s) => s.receiptId));
    for (const c of config.categories) {
      const granted = c === 'marketing' && gpc ? false : body.choices[c];
      const cur = current[CATEGORY_PURPOSE[c]];
      const curGranted = cur?.action === 'given';
      if (cur && curGranted === granted && shownBefore.get(cur.receiptId) === body.bannerVersion) continue;
      const r = await recordConsent(kernel, trx, profile, {
        ...common, purpose: CATEGORY_PURPOSE[c], action: granted ? 'given' : curGranted ? 'withdrawn' : 'rejected', method, bannerVersion: body.bannerVersion,
      });
      receipts.push(r.receiptId);
    }
    return cookieState(kernel, trx, brand.id, config, who, gpc, receipts);
  });
}

/** receipt id → banner version, for the receipts the current state points at. */
async function bannerVersions(db: Knex | Knex.Transaction, receiptIds: string[]): Promise<Map<string, string | null>> {
  if (!receiptIds.length) return new Map();
  const rows = (await db('consent_ledger').whereIn('receipt_id', receiptIds).select('receipt_id', 'banner_version')) as { receipt_id: string; banner_version: string | null }[];
  return new Map(rows.map((r) => [r.receipt_id, r.banner_version]));
}
