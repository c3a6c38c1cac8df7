/** Brands, their profiles, hook secrets and per-brand switches for modules and bindings. */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { SuiteError, fieldIssue, validationError, zodIssues, type FieldIssue } from '../errors';
import type { Keyring } from '../crypto/keyring';
import type { AuditLog, Actor } from '../audit/audit-log';
import type { Logger } from '../logger';
import { PrivacyProfile, type PartialProfile } from '../profile/schema';
import { DEFAULT_PROFILE } from '../profile/defaults';
import { mergeLayers } from '../profile/merge';
import { storedProfileInvalid, type ModuleSettingsCheck } from '../profile/module-settings';
import { BrandInput, type Brand } from './brand';

interface BrandRow {
  id: number; slug: string; name: string; kind: 'provider' | 'reseller'; parent_id: number | null;
  profile: string | null; hook_secret_enc: string; prev_hook_secret_enc: string | null; prev_secret_expires_at: number | null; created_at: number;
}

const CACHE_TTL_MS = 5_000;

/** The largest profile layer a brand may store (its JSON, UTF-8): 256 kB, the same on SQLite and MySQL (MEDIUMTEXT). */
export const PROFILE_MAX_BYTES = 256 * 1024;

/** 413 naming `profile` when a layer is over PROFILE_MAX_BYTES; checked before anything is read or written. */
function checkProfileSize(profile: unknown): void {
  const size = Buffer.byteLength(JSON.stringify(profile ?? {}), 'utf8');
  if (size <= PROFILE_MAX_BYTES) return;
  throw new SuiteError('SUITE_BODY_TOO_LARGE', { limit: `${PROFILE_MAX_BYTES} bytes` }, [fieldIssue('profile', 'validation.profile.tooLarge', { size, limit: PROFILE_MAX_BYTES })]);
}

function toBrand(r: BrandRow): Brand {
  return { id: Number(r.id), slug: r.slug, name: r.name, kind: r.kind, parentId: r.parent_id === null ? null : Number(r.parent_id), createdAt: Number(r.created_at) };
}

/** Generates a hook secret: 32 random bytes, printable. */
export function newHookSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64url')}`;
}

export class BrandService {
  private rows = new Map<string, { row: BrandRow; at: number }>();
  private byId = new Map<number, string>();
  private profiles = new Map<number, { profile: PrivacyProfile; at: number }>();
  private toggles = new Map<number, { map: Map<string, boolean>; at: number }>();
  private secrets = new WeakMap<BrandRow, { current: string; previous: string | null }>();

  /**
   * `checkModules` applies every loaded module's settings schema to a profile (the suite passes the registry's);
   * `log` reports a stored profile that today's checks refuse.
   */
  constructor(
    private readonly db: Knex, private readonly keyring: Keyring, private readonly audit: AuditLog, private readonly graceSeconds: number,
    private readonly checkModules: ModuleSettingsCheck = () => [], private readonly log?: Logger,
  ) {}

  /** Forgets cached brands, profiles and toggles (after a change, or in tests). */
  invalidate(): void {
    this.rows.clear();
    this.byId.clear();
    this.profiles.clear();
    this.toggles.clear();
  }

  private async row(slug: string): Promise<BrandRow | undefined> {
    const hit = this.rows.get(slug);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.row;
    // Exact, byte-wise: a MySQL collation may match another spelling (case, accents, trailing spaces) of a slug.
    const found = (await this.db('brands').where({ slug }).first()) as BrandRow | undefined;
    const row = found?.slug === slug ? found : undefined;
    if (row) {
      this.rows.set(slug, { row, at: Date.now() });
      this.byId.set(Number(row.id), slug);
    }
    return row;
  }

  /** Finds a brand by slug, or undefined. */
  async find(slug: string): Promise<Brand | undefined> {
    const r = await this.row(slug);
    return r ? toBrand(r) : undefined;
  }

  /** Finds a brand by slug or throws SUITE_BRAND_UNKNOWN. */
  async get(slug: string): Promise<Brand> {
    const b = await this.find(slug);
    if (!b) throw new SuiteError('SUITE_BRAND_UNKNOWN', { brand: slug });
    return b;
  }

  /** Finds a brand by id or throws. */
  async getById(id: number): Promise<Brand> {
    const slug = this.byId.get(id);
    if (slug) return this.get(slug);
    const row = (await this.db('brands').where({ id }).first()) as BrandRow | undefined;
    if (!row) throw new SuiteError('SUITE_BRAND_UNKNOWN', { brand: String(id) });
    this.rows.set(row.slug, { row, at: Date.now() });
    this.byId.set(Number(row.id), row.slug);
    return toBrand(row);
  }

  /** Every brand, providers first. */
  async list(): Promise<Brand[]> {
    return ((await this.db('brands').orderBy(['kind', 'id'])) as BrandRow[]).map(toBrand);
  }

  /** The brand and its ancestors, nearest first (brand → reseller → provider). */
  async chain(brand: Brand): Promise<Brand[]> {
    const out = [brand];
    let cur = brand;
    while (cur.parentId !== null && out.length < 8) {
      cur = await this.getById(cur.parentId);
      out.push(cur);
    }
    return out;
  }

  /** Ids of the brand and every brand below it (a reseller's key sees these). */
  async descendants(brandId: number): Promise<number[]> {
    const all = await this.list();
    const out = [brandId];
    for (let i = 0; i < out.length; i++) for (const b of all) if (b.parentId === out[i] && !out.includes(b.id)) out.push(b.id);
    return out;
  }

  private async storedProfile(brand: Brand): Promise<PartialProfile> {
    const r = await this.row(brand.slug);
    return r?.profile ? (JSON.parse(r.profile) as PartialProfile) : {};
  }

  /** The merged (unvalidated) document of a chain; `nearest` replaces the stored layer of `replace` (default the first brand). */
  private async merged(chain: Brand[], nearest?: PartialProfile, replace: Brand = chain[0]): Promise<Record<string, unknown>> {
    const layers: Record<string, unknown>[] = [DEFAULT_PROFILE];
    for (const b of [...chain].reverse()) layers.push(b.id === replace.id && nearest ? nearest : await this.storedProfile(b));
    return mergeLayers(...layers);
  }

  /** The core schema's issues of a merged document, then each module's settings issues; the profile when the core parsed. */
  private check(merged: Record<string, unknown>): { profile?: PrivacyProfile; issues: FieldIssue[] } {
    const parsed = PrivacyProfile.safeParse(merged);
    if (!parsed.success) return { issues: zodIssues(parsed.error.issues, 'profile') };
    return { profile: parsed.data, issues: this.checkModules(parsed.data) };
  }

  /**
   * Validates a layer about to be written for the first brand of `chain`: the merged profile (core schema and every
   * module's settings), and that of each brand below it whose merged profile the layer changes. A brand below is
   * refused only for what the change breaks (issues it already had are its own). Returns the brand's effective profile.
   */
  private async validateLayer(chain: Brand[], layer: PartialProfile): Promise<PrivacyProfile> {
    const own = this.check(await this.merged(chain, layer));
    if (own.issues.length) throw validationError(own.issues);
    const issues: FieldIssue[] = [];
    const target = chain[0];
    if (target.id > 0) {
      for (const id of (await this.descendants(target.id)).slice(1)) {
        const b = await this.getById(id);
        const below = await this.chain(b);
        const after = await this.merged(below, layer, target);
        const before = await this.merged(below);
        if (JSON.stringify(after) === JSON.stringify(before)) continue;
        const had = new Set(this.check(before).issues.map((f) => f.field));
        for (const f of this.check(after).issues) {
          if (!had.has(f.field)) issues.push(fieldIssue(f.field, 'validation.profile.breaksBrandBelow', { brand: b.slug, problem: f.message }));
        }
      }
    }
    if (issues.length) throw validationError(issues);
    return own.profile!;
  }

  /**
   * The effective privacy profile of a brand (defaults ← provider ← reseller ← brand). A stored profile the core
   * schema refuses (written before a check existed) is a 409 naming the fields; module sections that their module
   * refuses are logged here and answered 409 by that module alone when it reads its settings.
   */
  async profile(brand: Brand): Promise<PrivacyProfile> {
    const hit = this.profiles.get(brand.id);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.profile;
    const { profile, issues } = this.check(await this.merged(await this.chain(brand)));
    if (issues.length) this.log?.warn({ brand: brand.slug, invalid: issues.map((f) => f.field) }, 'stored privacy profile is invalid; what reads the named fields answers SUITE_PROFILE_STORED_INVALID until an administrator corrects it');
    if (!profile) throw storedProfileInvalid(issues);
    this.profiles.set(brand.id, { profile, at: Date.now() });
    return profile;
  }

  /** Creates a brand (a reseller when it has a parent; a reseller must name its data controller). Returns its hook secret once. */
  async create(input: unknown, actor: Actor): Promise<{ brand: Brand; hookSecret: string }> {
    const parsed = BrandInput.safeParse(input);
    if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
    const { slug, name, parent, profile = {} } = parsed.data;
    checkProfileSize(profile);
    if (await this.find(slug)) throw new SuiteError('SUITE_BRAND_EXISTS', { brand: slug });
    const parentBrand = parent ? await this.get(parent) : undefined;
    const kind = parentBrand ? 'reseller' : 'provider';
    const pseudo: Brand = { id: -1, slug, name, kind, parentId: parentBrand?.id ?? null, createdAt: Date.now() };
    const chain = parentBrand ? [pseudo, ...(await this.chain(parentBrand))] : [pseudo];
    const effective = await this.validateLayer(chain, profile);
    if (kind === 'reseller' && !(profile as { controller?: unknown }).controller) {
      throw validationError([fieldIssue('profile.controller', 'validation.brand.resellerController')]);
    }
    if (!effective.controller) throw validationError([fieldIssue('profile.controller', 'validation.brand.controllerRequired')]);
    const hookSecret = newHookSecret();
    const id = await this.db.transaction(async (trx) => {
      const [newId] = await trx('brands').insert({
        slug, name, kind, parent_id: parentBrand?.id ?? null, profile: JSON.stringify(profile),
        hook_secret_enc: await this.keyring.encrypt(hookSecret), created_at: Date.now(),
      });
      await this.audit.record({ brandId: Number(newId), actor, action: 'brand.create', targetType: 'brand', targetId: slug, details: { kind, parent: parent ?? null } }, trx);
      return Number(newId);
    });
    this.invalidate();
    return { brand: await this.getById(id), hookSecret };
  }

  /** Replaces a brand's stored profile after validating the effective result. */
  async setProfile(slug: string, profile: PartialProfile, actor: Actor): Promise<PrivacyProfile> {
    checkProfileSize(profile);
    const brand = await this.get(slug);
    const chain = await this.chain(brand);
    const effective = await this.validateLayer(chain, profile);
    if (brand.kind === 'reseller' && !(profile as { controller?: unknown }).controller) {
      throw validationError([fieldIssue('profile.controller', 'validation.brand.resellerController')]);
    }
    await this.db.transaction(async (trx) => {
      await trx('brands').where({ id: brand.id }).update({ profile: JSON.stringify(profile) });
      await this.audit.record({ brandId: brand.id, actor, action: 'brand.profile.update', targetType: 'brand', targetId: slug, details: { keys: Object.keys(profile) } }, trx);
    });
    this.invalidate();
    return effective;
  }

  /** The secrets a hook signature may be made with: the current one, and the previous one during its grace period. */
  async hookSecrets(brand: Brand): Promise<string[]> {
    const r = (await this.row(brand.slug))!;
    // Decrypted once per cached row (so at most CACHE_TTL_MS old, and dropped on rotation); the grace period is checked every call.
    let s = this.secrets.get(r);
    if (!s) {
      s = { current: await this.keyring.decrypt(r.hook_secret_enc), previous: r.prev_hook_secret_enc ? await this.keyring.decrypt(r.prev_hook_secret_enc) : null };
      this.secrets.set(r, s);
    }
    const out = [s.current];
    if (s.previous && r.prev_secret_expires_at && Number(r.prev_secret_expires_at) > Date.now()) out.push(s.previous);
    return out;
  }

  /** Issues a new hook secret; the old one keeps working for the grace period so a panel can switch without lost events. */
  async rotateSecret(slug: string, actor: Actor): Promise<{ hookSecret: string; previousValidUntil: number }> {
    const brand = await this.get(slug);
    const r = (await this.row(slug))!;
    const hookSecret = newHookSecret();
    const previousValidUntil = Date.now() + this.graceSeconds * 1000;
    await this.db.transaction(async (trx) => {
      await trx('brands').where({ id: brand.id }).update({
        hook_secret_enc: await this.keyring.encrypt(hookSecret), prev_hook_secret_enc: r.hook_secret_enc, prev_secret_expires_at: previousValidUntil,
      });
      await this.audit.record({ brandId: brand.id, actor, action: 'brand.secret.rotate', targetType: 'brand', targetId: slug, details: { previousValidUntil } }, trx);
    });
    this.invalidate();
    return { hookSecret, previousValidUntil };
  }

  private async toggleMap(brandId: number): Promise<Map<string, boolean>> {
    const hit = this.toggles.get(brandId);
    if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.map;
    const brand = await this.getById(brandId);
    const chain = await this.chain(brand);
    const rows = (await this.db('brand_toggles').whereIn('brand_id', chain.map((b) => b.id))) as { brand_id: number; kind: string; name: string; enabled: number | boolean }[];
    const map = new Map<string, boolean>();
    // Farthest first, so the nearest brand's explicit switch wins.
    for (const b of [...chain].reverse()) for (const r of rows) if (Number(r.brand_id) === b.id) map.set(`${r.kind}:${r.name}`, Boolean(r.enabled));
    this.toggles.set(brandId, { map, at: Date.now() });
    return map;
  }

  /** Whether a module or binding is on for a brand: the nearest explicit switch in the chain, else the default. */
  async isEnabled(brandId: number, kind: 'module' | 'binding', name: string, fallback: boolean): Promise<boolean> {
    const v = (await this.toggleMap(brandId)).get(`${kind}:${name}`);
    return v === undefined ? fallback : v;
  }

  /** Switches a module or binding on or off for one brand, audited. */
  async setEnabled(slug: string, kind: 'module' | 'binding', name: string, enabled: boolean, actor: Actor, ip?: string): Promise<void> {
    const brand = await this.get(slug);
    await this.db.transaction(async (trx) => {
      // One statement, so simultaneous first switches cannot both insert (a read-then-insert answered 500 to all but one).
      await trx('brand_toggles').insert({ brand_id: brand.id, kind, name, enabled, updated_at: Date.now(), updated_by: `${actor.type}:${actor.id}` })
        .onConflict(['brand_id', 'kind', 'name']).merge(['enabled', 'updated_at', 'updated_by']);
      await this.audit.record({ brandId: brand.id, actor, action: `${kind}.toggle`, targetType: kind, targetId: name, details: { enabled }, ip }, trx);
    });
    this.invalidate();
  }
}
