/** The five demo brands (one per seed policy) and their profiles from scripts/demo/profiles/<slug>.json. */
import fs from 'node:fs';
import path from 'node:path';

/** One demo brand: slug, display name, parent (for the reseller), and what its customers buy. */
export interface DemoBrand { slug: string; name: string; parent?: string; product: string; price: number; countries: string[] }

/** The demo brands, parents first. */
export const DEMO_BRANDS: DemoBrand[] = [
  { slug: 'masterserver', name: 'MasterServer', product: 'Dedicated Server', price: 89, countries: ['AE', 'SA', 'EG', 'IN', 'GB'] },
  { slug: 'websoftmaster', name: 'WebSoftMaster', product: 'Shared Hosting', price: 7.99, countries: ['US', 'CA', 'GB', 'AU'] },
  { slug: 'websoftmaster-reseller', name: 'Harborline Web Services', parent: 'websoftmaster', product: 'Reseller Hosting', price: 12.5, countries: ['US', 'CA'] },
  { slug: 'server-pro', name: 'Server-pro.org', product: 'VPS', price: 19, countries: ['GB', 'DE', 'NL', 'FR', 'IE'] },
  { slug: 'tos-provider', name: 'TOS Provider', product: 'Web Hosting', price: 5, countries: ['GB', 'ES', 'IT', 'PT'] },
  { slug: 'email-server-management', name: 'Email Server Management', product: 'Managed Mail Server', price: 29, countries: ['US', 'DE', 'SE', 'PL'] },
];

/** Where the demo profile files live. */
export const PROFILE_DIR = path.resolve(__dirname, 'profiles');

/** A minimal profile with a controller, used when a brand's profile file is missing (so the demo still runs). */
export function minimalProfile(b: DemoBrand): Record<string, unknown> {
  return { controller: { name: `${b.name} (demo)`, email: `privacy@${b.slug}.example`, country: b.countries[0] } };
}

/** The brand's profile from its file, or null when the file does not exist (a broken file throws). */
export function readProfile(slug: string, dir = PROFILE_DIR): Record<string, unknown> | null {
  const file = path.join(dir, `${slug}.json`);
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}
