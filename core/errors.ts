/**
 * Coded errors: a stable code, an HTTP status, and a lang key (`errors.<CODE>`) for the message. The kernel's codes are
 * here; each module declares its own in its definition (`errors`, registered at load) and adds them to `ErrorCodes`.
 */
import { t } from './i18n';
import { zodMessageKey } from './zod-messages';

/** The kernel's codes and their HTTP statuses. */
export const ErrorCatalogue = {
  SUITE_VALIDATION_FAILED: 400,
  SUITE_HOOK_UNKNOWN: 404,
  SUITE_HOOK_SIGNATURE_MISSING: 401,
  SUITE_HOOK_SIGNATURE_INVALID: 401,
  SUITE_HOOK_TIMESTAMP_STALE: 401,
  SUITE_HOOK_HANDLER_FAILED: 500,
  SUITE_IDEMPOTENCY_MISMATCH: 409,
  SUITE_IDEMPOTENCY_IN_PROGRESS: 409,
  SUITE_BRAND_UNKNOWN: 404,
  SUITE_BRAND_EXISTS: 409,
  SUITE_BRAND_FORBIDDEN: 403,
  SUITE_PROFILE_INVALID: 400,
  SUITE_PROFILE_STORED_INVALID: 409,
  SUITE_AUTH_REQUIRED: 401,
  SUITE_AUTH_INVALID: 401,
  SUITE_ROLE_FORBIDDEN: 403,
  SUITE_MODULE_UNKNOWN: 404,
  SUITE_MODULE_DISABLED: 404,
  SUITE_BINDING_UNKNOWN: 404,
  SUITE_HEALTH_DATA_REFUSED: 422,
  SUITE_RECIPIENT_UNKNOWN: 422,
  SUITE_PURPOSE_UNKNOWN: 422,
  SUITE_PURPOSE_NOT_ALLOWED: 422,
  SUITE_SALE_FORBIDDEN: 422,
  SUITE_SUBJECT_UNKNOWN: 404,
  SUITE_SUBJECT_RESTRICTED: 409,
  SUITE_JSON_REQUIRED: 415,
  SUITE_NOT_FOUND: 404,
  SUITE_BODY_TOO_LARGE: 413,
  SUITE_BODY_TOO_MANY_FIELDS: 413,
  SUITE_BODY_ENCODING_UNSUPPORTED: 415,
  SUITE_BODY_CHARSET_UNSUPPORTED: 415,
  SUITE_BODY_UNREADABLE: 400,
  SUITE_PATH_MALFORMED: 400,
  SUITE_LINK_INVALID: 401,
  SUITE_OUTBOX_MESSAGE_UNKNOWN: 404,
  SUITE_CRYPTO_KEY_UNKNOWN: 500,
  SUITE_CRYPTO_DECRYPT_FAILED: 500,
  SUITE_RATE_LIMITED: 429,
  SUITE_CSRF_INVALID: 403,
  SUITE_INTERNAL: 500,
} as const;

/** A module's own codes and their HTTP statuses (`errors` in its definition): a public contract, like the kernel's. */
export type ModuleErrors = Readonly<Record<`SUITE_${string}`, number>>;

type KernelErrorCodes = typeof ErrorCatalogue;

/**
 * Every code with its status. A module adds its own from its errors file, so `new SuiteError(code)` stays type-checked:
 * `declare module '../../core/errors' { interface ErrorCodes extends RightsErrorCodes {} }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- modules augment this interface
export interface ErrorCodes extends KernelErrorCodes {}

export type ErrorCode = keyof ErrorCodes;

const statuses = new Map<string, number>(Object.entries(ErrorCatalogue));
const owners = new Map<string, string>();

/** Adds a module's codes (the registry does, at load). A code the kernel or another module already declares is refused. */
export function registerErrorCodes(module: string, codes: ModuleErrors): void {
  for (const code of Object.keys(codes)) {
    const owner = code in ErrorCatalogue ? 'the kernel' : owners.get(code);
    if (owner && owner !== module) throw new Error(`error code ${code} is already declared by ${owner}`);
  }
  for (const [code, status] of Object.entries(codes)) {
    statuses.set(code, status);
    owners.set(code, module);
  }
}

/** The HTTP status of a code: the kernel's or a loaded module's (500 for a code nobody declared). */
export function errorStatus(code: string): number {
  return statuses.get(code) ?? 500;
}

/**
 * One problem with one input field, named by its path (e.g. "vars.email"). `message` is English (logs, CLI);
 * with `key` (a lang key, usually `validation.*`) the HTTP answer carries it in the caller's language.
 */
export interface FieldIssue { field: string; message: string; key?: string; params?: Record<string, string | number> }

/** A field issue whose message comes from lang/: `fieldIssue('brand', 'validation.apikey.resellerNeedsBrand')`. */
export function fieldIssue(field: string, key: string, params: Record<string, string | number> = {}): FieldIssue {
  return { field, message: t('en', key, params), key, params };
}

/** The field issue as a client sees it: message in the locale, no internal key. */
function localisedIssue(f: FieldIssue, locale: string): { field: string; message: string } {
  return { field: f.field, message: f.key ? t(locale, f.key, f.params ?? {}) : f.message };
}

/** An error the suite expects and can explain: stable code, status, readable message, optional field issues. */
export class SuiteError extends Error {
  readonly code: ErrorCode;
  readonly fields?: FieldIssue[];
  readonly params: Record<string, string | number>;

  constructor(code: ErrorCode, params: Record<string, string | number> = {}, fields?: FieldIssue[]) {
    super(t('en', `errors.${code}`, params));
    this.name = 'SuiteError';
    this.code = code;
    this.params = params;
    this.fields = fields;
  }

  /** The HTTP status, looked up when read: a module's codes are registered when the registry loads it. */
  get status(): number {
    return errorStatus(this.code);
  }

  /** The JSON body an HTTP client receives, in the requested locale. */
  toJSON(locale = 'en'): Record<string, unknown> {
    const body: Record<string, unknown> = { ok: false, code: this.code, error: t(locale, `errors.${this.code}`, this.params) };
    if (this.fields) body.fields = this.fields.map((f) => localisedIssue(f, locale));
    return body;
  }
}

/**
 * Turns zod issues into field issues, prefixing each path (e.g. "vars"). A custom issue whose message is a lang key
 * (`validation.…`, with its `params`, or a length/size bound as `{minimum}`/`{maximum}`) is translated per caller.
 */
export function zodIssues(issues: { path: (string | number)[]; message: string; code?: string; params?: Record<string, unknown>; minimum?: unknown; maximum?: unknown }[], prefix?: string): FieldIssue[] {
  return issues.map((i) => {
    const field = [prefix, ...i.path].filter((p) => p !== undefined && p !== '').join('.') || '(root)';
    if (!/^validation\.[\w.]+$/.test(i.message)) {
      const builtIn = zodMessageKey(i); // zod's own "Required", "Expected string, received number", …
      return builtIn ? { field, message: i.message, key: builtIn.key, params: builtIn.params } : { field, message: i.message };
    }
    const params = Object.fromEntries(Object.entries({ minimum: i.minimum, maximum: i.maximum, ...i.params }).filter(([, v]) => typeof v === 'string' || typeof v === 'number')) as Record<string, string | number>;
    return fieldIssue(field, i.message, params);
  });
}

/** A validation error naming every failing field. */
export function validationError(fields: FieldIssue[]): SuiteError {
  return new SuiteError('SUITE_VALIDATION_FAILED', { fields: fields.map((f) => f.field).join(', ') }, fields);
}
