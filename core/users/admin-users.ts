/**
 * Admin panel users: e-mail, scrypt password, role and brand scope (as API keys have), optional TOTP (secret encrypted
 * with the keyring), lockout after repeated failures. Every log-in and failure is audited (never a password or code);
 * failures also go to the access watch, so that many of them from one IP raise the unusual-access alert (MS-10).
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { SuiteError, validationError, zodIssues, fieldIssue } from '../errors';
import type { Kernel } from '../kernel';
import type { Actor } from '../audit/audit-log';
import { Role } from '../apikeys/roles';
import { accessWatch } from '../security/access-watch';
import { dialectOfKnex } from '../db/connection';
import { dummyHash, hashPassword, verifyPassword } from './password';
import type { UserPrincipal } from './principal';
import { generateTotpSecret, totpUri, verifyTotp } from './totp';

/** How many failures lock an account, within which window, and for how long. */
export interface LockoutPolicy { maxFailures: number; windowMs: number; lockMs: number }
export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export const PASSWORD_MIN = 12;

export const NewUser = z.object({
  email: z.string().trim().toLowerCase().email('validation.user.emailInvalid').max(254),
  password: z.string().min(PASSWORD_MIN, 'validation.user.passwordTooShort').max(1024),
  role: Role,
  brand: z.string().optional(),
  totp: z.boolean().optional(),
});
export type NewUser = z.infer<typeof NewUser>;

export const LoginInput = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(1024),
  code: z.string().trim().max(16).optional(),
});
export type LoginInput = z.infer<typeof LoginInput>;

/** A user as listed (no hash, no secret). */
export interface AdminUser {
  id: number; email: string; role: Role; brand: string | null; totp: boolean; disabled: boolean;
  createdAt: number; lastLoginAt: number | null; lockedUntil: number | null;
}

interface UserRow {
  id: number; email: string; password_hash: string; role: Role; brand_id: number | null; totp_secret_enc: string | null;
  totp_last_step: number | string | null; failed_attempts: number; failed_window_start: number | string | null;
  locked_until: number | string | null; disabled_at: number | string | null; created_at: number | string; last_login_at: number | string | null;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

/** Why a log-in failed (audit only; the person sees one message for all of them). */
type FailReason = 'unknown' | 'password' | 'totp' | 'locked' | 'disabled';

export class AdminUsers {
  /** The clock (tests move it). */
  clock: () => number = Date.now;

  constructor(private readonly kernel: Kernel, readonly lockout: LockoutPolicy = DEFAULT_LOCKOUT) {}

  private get db(): Knex { return this.kernel.db; }

  /** Creates a user; with `totp` returns the otpauth:// URI once (only the encrypted secret is stored). */
  async create(input: { email: string; password: string; role: string; brand?: string; totp?: boolean }, actor: Actor): Promise<{ user: AdminUser; otpauthUri: string | null }> {
    const parsed = NewUser.safeParse(input);
    if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
    const { email, password, role, brand, totp } = parsed.data;
    if (role === 'reseller' && !brand) throw validationError([fieldIssue('brand', 'validation.user.resellerNeedsBrand')]);
    if (role === 'owner' && brand) throw validationError([fieldIssue('brand', 'validation.user.ownerHasNoBrand')]);
    const b = brand ? await this.kernel.brands.get(brand) : undefined;
    if (await this.db('admin_users').where({ email }).first('id')) throw validationError([fieldIssue('email', 'validation.user.emailTaken')]);
    const secret = totp ? generateTotpSecret() : null;
    const row = {
      email, password_hash: await hashPassword(password), role, brand_id: b?.id ?? null,
      totp_secret_enc: secret ? await this.kernel.keyring.encrypt(secret) : null, failed_attempts: 0, created_at: this.clock(),
    };
    let id = 0;
    await this.db.transaction(async (trx) => {
      const [inserted] = (await trx('admin_users').insert(row)) as number[];
      id = Number(inserted);
      await this.kernel.audit.record({ brandId: b?.id ?? null, actor, action: 'user.create', targetType: 'admin-user', targetId: id, details: { role, totp: Boolean(totp) } }, trx);
    });
    const otpauthUri = secret ? totpUri(secret, email) : null;
    return { user: await this.byId(id), otpauthUri };
  }

  /** Every user, by e-mail. */
  async list(): Promise<AdminUser[]> {
    const rows = (await this.db('admin_users').orderBy('email')) as UserRow[];
    return Promise.all(rows.map((r) => this.toUser(r)));
  }

  /** A user by id. */
  async byId(id: number): Promise<AdminUser> {
    const row = (await this.db('admin_users').where({ id }).first()) as UserRow | undefined;
    if (!row) throw new SuiteError('SUITE_NOT_FOUND', { what: 'user', id });
    return this.toUser(row);
  }

  /** Disables a user and ends their sessions. */
  async disable(email: string, actor: Actor): Promise<AdminUser> {
    const key = email.trim().toLowerCase();
    const row = (await this.db('admin_users').where({ email: key }).first()) as UserRow | undefined;
    if (!row) throw new SuiteError('SUITE_NOT_FOUND', { what: 'user', id: key });
    await this.db.transaction(async (trx) => {
      await trx('admin_users').where({ id: row.id }).whereNull('disabled_at').update({ disabled_at: this.clock() });
      await trx('admin_sessions').where({ user_id: row.id }).delete();
      await this.kernel.audit.record({ brandId: row.brand_id, actor, action: 'user.disable', targetType: 'admin-user', targetId: row.id }, trx);
    });
    return this.byId(row.id);
  }

  /**
   * Checks e-mail, password and (when the user has one) the TOTP code. Returns the user's principal, or throws
   * SUITE_AUTH_INVALID (whatever was wrong) or SUITE_RATE_LIMITED (account locked); every failure is counted and audited.
   */
  async authenticate(input: LoginInput, ip: string | undefined): Promise<UserPrincipal> {
    const parsed = LoginInput.safeParse(input);
    const creds = parsed.success ? parsed.data : { email: '', password: '', code: undefined };
    const now = this.clock();
    const row = creds.email ? ((await this.db('admin_users').where({ email: creds.email }).first()) as UserRow | undefined) : undefined;
    if (!row) {
      await verifyPassword(creds.password, await dummyHash()); // the same time as a wrong password
      return this.fail(null, 'unknown', ip);
    }
    const lockedUntil = num(row.locked_until);
    if (lockedUntil !== null && lockedUntil > now) return this.fail(row, 'locked', ip, Math.ceil((lockedUntil - now) / 1000));
    const passwordOk = await verifyPassword(creds.password, row.password_hash);
    if (!passwordOk) return this.fail(row, 'password', ip);
    if (num(row.disabled_at) !== null) return this.fail(row, 'disabled', ip);
    let step: number | null = null;
    if (row.totp_secret_enc) {
      step = await this.totpStep(row, creds.code);
      if (step === null) return this.fail(row, 'totp', ip);
    }
    await this.db.transaction(async (trx) => {
      await trx('admin_users').where({ id: row.id }).update({
        failed_attempts: 0, failed_window_start: null, locked_until: null, last_login_at: now, ...(step !== null ? { totp_last_step: step } : {}),
      });
      await this.kernel.audit.record({ brandId: row.brand_id, actor: { type: 'user', id: String(row.id) }, action: 'user.login', targetType: 'admin-user', targetId: row.id, ip }, trx);
    });
    return this.principal(row);
  }

  /** The principal of a user row (sessions call it on every request, so a changed role or brand counts at once). */
  async principalOf(userId: number): Promise<UserPrincipal | null> {
    const row = (await this.db('admin_users').where({ id: userId }).whereNull('disabled_at').first()) as UserRow | undefined;
    return row ? this.principal(row) : null;
  }

  private async principal(row: UserRow): Promise<UserPrincipal> {
    const brandIds = row.brand_id === null ? null : await this.kernel.brands.descendants(Number(row.brand_id));
    return { keyId: `user-${row.id}`, userId: Number(row.id), email: row.email, role: row.role, brandIds, label: row.email };
  }

  /** The accepted TOTP time step, or null: a wrong, missing or already used code. */
  private async totpStep(row: UserRow, code: string | undefined): Promise<number | null> {
    if (!code) return null;
    const step = verifyTotp(await this.kernel.keyring.decrypt(row.totp_secret_enc!), code, this.clock());
    if (step === null) return null;
    const last = num(row.totp_last_step);
    return last !== null && step <= last ? null : step;
  }

  /** Counts a failure (locking the account at the limit), audits it, tells the access watch, and throws. */
  private async fail(row: UserRow | null, reason: FailReason, ip: string | undefined, lockedSeconds?: number): Promise<never> {
    const now = this.clock();
    await this.db.transaction(async (trx) => {
      if (row && reason !== 'locked') await this.countFailure(trx, row.id, now);
      await this.kernel.audit.record({
        brandId: row?.brand_id ?? null, actor: { type: 'anonymous', id: 'login' }, action: 'user.login.failed',
        targetType: 'admin-user', targetId: row ? row.id : 'unknown', details: { reason }, ip,
      }, trx);
    });
    const code = reason === 'locked' ? 'SUITE_RATE_LIMITED' : 'SUITE_AUTH_INVALID';
    await accessWatch(this.kernel).failure({ source: 'login', ip, brandId: row?.brand_id ?? null, code, targetType: 'route', targetId: '/admin/login', actor: 'login' });
    if (reason === 'locked') throw new SuiteError('SUITE_RATE_LIMITED', { seconds: lockedSeconds ?? 0 });
    throw new SuiteError('SUITE_AUTH_INVALID');
  }

  private async countFailure(trx: Knex.Transaction, id: number, now: number): Promise<void> {
    const q = trx('admin_users').where({ id });
    const cur = (await (dialectOfKnex(trx) === 'mysql' ? q.forUpdate() : q).first('failed_attempts', 'failed_window_start')) as Pick<UserRow, 'failed_attempts' | 'failed_window_start'>;
    const start = num(cur.failed_window_start);
    const fresh = start === null || now - start >= this.lockout.windowMs;
    const attempts = fresh ? 1 : Number(cur.failed_attempts) + 1;
    if (attempts >= this.lockout.maxFailures) {
      await trx('admin_users').where({ id }).update({ failed_attempts: 0, failed_window_start: null, locked_until: now + this.lockout.lockMs });
    } else {
      await trx('admin_users').where({ id }).update({ failed_attempts: attempts, failed_window_start: fresh ? now : start });
    }
  }

  private async toUser(r: UserRow): Promise<AdminUser> {
    const brand = r.brand_id === null ? null : (await this.kernel.brands.getById(Number(r.brand_id))).slug;
    return {
      id: Number(r.id), email: r.email, role: r.role, brand, totp: Boolean(r.totp_secret_enc), disabled: r.disabled_at !== null,
      createdAt: Number(r.created_at), lastLoginAt: num(r.last_login_at), lockedUntil: num(r.locked_until),
    };
  }
}
