/** Admin API keys: scoped to a role and optionally a brand; stored as a hash, shown once. */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { SuiteError, validationError, zodIssues, fieldIssue } from '../errors';
import type { AuditLog, Actor } from '../audit/audit-log';
import type { BrandService } from '../brands/brand-service';
import { Role, WRITE_ROLES } from './roles';

export { Role };

/** What a verified key may do. `brandIds` null means every brand. */
export interface Principal { keyId: string; role: Role; brandIds: number[] | null; label: string }

function hashKey(key: string): string {
  return crypto.createHash('sha256').update(key).digest('hex');
}

export class ApiKeys {
  constructor(private readonly db: Knex, private readonly brands: BrandService, private readonly audit: AuditLog) {}

  /** Creates a key and returns it once; only its hash is stored. */
  async create(input: { role: string; brand?: string; label?: string }, actor: Actor): Promise<{ id: string; key: string; role: Role; brand: string | null }> {
    const parsed = z.object({ role: Role, brand: z.string().optional(), label: z.string().max(190).optional() }).safeParse(input);
    if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
    const { role, brand, label } = parsed.data;
    if (role === 'reseller' && !brand) throw validationError([fieldIssue('brand', 'validation.apikey.resellerNeedsBrand')]);
    if (role === 'owner' && brand) throw validationError([fieldIssue('brand', 'validation.apikey.ownerHasNoBrand')]);
    const b = brand ? await this.brands.get(brand) : undefined;
    const id = crypto.randomBytes(6).toString('hex');
    const key = `psk_${id}_${crypto.randomBytes(24).toString('base64url')}`;
    await this.db.transaction(async (trx) => {
      await trx('api_keys').insert({ id, key_hash: hashKey(key), role, brand_id: b?.id ?? null, label: label ?? null, created_at: Date.now() });
      await this.audit.record({ brandId: b?.id ?? null, actor, action: 'apikey.create', targetType: 'apikey', targetId: id, details: { role } }, trx);
    });
    return { id, key, role, brand: brand ?? null };
  }

  /** Verifies a presented key; returns the principal or throws SUITE_AUTH_INVALID. */
  async verify(presented: string): Promise<Principal> {
    const m = /^psk_([0-9a-f]{12})_[A-Za-z0-9_-]+$/.exec(presented);
    if (!m) throw new SuiteError('SUITE_AUTH_INVALID');
    const row = (await this.db('api_keys').where({ id: m[1] }).whereNull('revoked_at').first()) as { id: string; key_hash: string; role: Role; brand_id: number | null; label: string | null } | undefined;
    const expected = Buffer.from(row?.key_hash ?? '0'.repeat(64), 'hex');
    const ok = crypto.timingSafeEqual(expected, Buffer.from(hashKey(presented), 'hex'));
    if (!row || !ok) throw new SuiteError('SUITE_AUTH_INVALID');
    const brandIds = row.brand_id === null ? null : await this.brands.descendants(Number(row.brand_id));
    return { keyId: row.id, role: row.role, brandIds, label: row.label ?? '' };
  }

  /** Revokes a key. */
  async revoke(id: string, actor: Actor): Promise<void> {
    await this.db.transaction(async (trx) => {
      const n = await trx('api_keys').where({ id }).whereNull('revoked_at').update({ revoked_at: Date.now() });
      if (!n) throw new SuiteError('SUITE_NOT_FOUND', { what: 'api key', id });
      await this.audit.record({ actor, action: 'apikey.revoke', targetType: 'apikey', targetId: id }, trx);
    });
  }

  /** Whether any key exists (the first start issues the owner key). */
  async any(): Promise<boolean> {
    return Boolean(await this.db('api_keys').first('id'));
  }
}

/** Throws unless the principal may see the brand. */
export function assertBrandAccess(p: Principal, brandId: number): void {
  if (p.brandIds && !p.brandIds.includes(brandId)) throw new SuiteError('SUITE_BRAND_FORBIDDEN');
}

/** Throws unless the principal's role may change things. */
export function assertCanWrite(p: Principal): void {
  if (!WRITE_ROLES.includes(p.role)) throw new SuiteError('SUITE_ROLE_FORBIDDEN', { role: p.role });
}
