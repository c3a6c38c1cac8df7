/** The consent module's cookie-banner settings (`profile.modules.consent.cookies`): where the banner may be embedded and its policy link. */
import { z } from 'zod';

/** An origin the banner is embedded on: scheme, host and optional port, no path (e.g. "https://www.example.com"). */
export const EmbedOrigin = z.string().trim().toLowerCase()
  .regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/, 'an origin such as "https://www.example.com" (scheme and host, no path, no wildcard)');

/** Cookie-banner settings; merged into the consent module's settings schema by index.ts. */
export const CookieSettings = z.object({
  /** Sites allowed to post choices from the browser (CORS); exact origins only. */
  allowedOrigins: z.array(EmbedOrigin).max(50).default([]),
  /** The cookie policy the banner links to; when absent the script links to the suite's own cookie policy page. */
  policyUrl: z.string().url().optional(),
}).default({});
export type CookieSettings = z.infer<typeof CookieSettings>;

/** The shape to spread into the consent module's settings object: `z.object({ ...cookieSettingsShape, … })`. */
export const cookieSettingsShape = { cookies: CookieSettings };

/** Reads the cookie part of already-parsed consent settings (tolerates a schema that has not merged it). */
export function cookieSettingsOf(settings: unknown): CookieSettings {
  const raw = (settings as { cookies?: unknown } | undefined)?.cookies;
  return CookieSettings.parse(raw ?? {});
}
