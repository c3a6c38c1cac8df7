/** The one catalogue of coded errors: a stable code, an HTTP status, and a lang key for the message. */
import { t } from './i18n';

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
  SUITE_RIGHTS_REQUEST_UNKNOWN: 404,
  SUITE_RIGHTS_REQUEST_CLOSED: 409,
  SUITE_RIGHTS_NOT_VERIFIED: 409,
  SUITE_RIGHTS_PROCESSOR_ONLY: 403,
  SUITE_RIGHTS_WRONG_STATE: 409,
  SUITE_RIGHTS_CODE_INVALID: 401,
  SUITE_RIGHTS_EXPORT_GONE: 410,
  SUITE_RIGHTS_SUBJECT_REQUIRED: 422,
  SUITE_RIGHTS_EMAIL_UNAVAILABLE: 422,
  SUITE_RIGHTS_PROCESSOR_KEY: 403,
  SUITE_JSON_REQUIRED: 415,
  SUITE_RIGHTS_NOT_A_MINOR: 409,
  SUITE_RIGHTS_NOT_RESTRICTED: 409,
  SUITE_RIGHTS_SUBJECT_ERASED: 409,
  SUITE_RIGHTS_DISCLOSURE_UNKNOWN: 404,
  SUITE_RIGHTS_FOUR_EYES: 403,
  SUITE_RIGHTS_CATEGORY_NOT_REGISTERED: 422,
  SUITE_RIGHTS_RECIPIENT_KIND: 422,
  SUITE_RIGHTS_NOTHING_TO_EXPORT: 422,
  SUITE_NOT_FOUND: 404,
  SUITE_BODY_TOO_LARGE: 413,
  SUITE_BODY_TOO_MANY_FIELDS: 413,
  SUITE_BODY_ENCODING_UNSUPPORTED: 415,
  SUITE_BODY_CHARSET_UNSUPPORTED: 415,
  SUITE_BODY_UNREADABLE: 400,
  SUITE_PATH_MALFORMED: 400,
  SUITE_LINK_INVALID: 401,
  SUITE_POLICY_NOT_REJECTABLE: 409,
  SUITE_OUTBOX_MESSAGE_UNKNOWN: 404,
  SUITE_CRYPTO_KEY_UNKNOWN: 500,
  SUITE_CRYPTO_DECRYPT_FAILED: 500,
  SUITE_PLATFORM_STATE: 409,
  SUITE_PLATFORM_VETOED: 422,
  SUITE_RATE_LIMITED: 429,
  SUITE_RETENTION_BUSY: 409,
  SUITE_RETENTION_RULE_UNKNOWN: 404,
  SUITE_RETENTION_RULE_INVALID: 409,
  SUITE_RETENTION_DRY_RUN_MISMATCH: 409,
  SUITE_RETENTION_HOLD_UNKNOWN: 404,
  SUITE_RETENTION_HOLD_RELEASED: 409,
  SUITE_INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ErrorCatalogue;

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
  readonly status: number;
  readonly fields?: FieldIssue[];
  readonly params: Record<string, string | number>;

  constructor(code: ErrorCode, params: Record<string, string | number> = {}, fields?: FieldIssue[]) {
    super(t('en', `errors.${code}`, params));
    this.name = 'SuiteError';
    this.code = code;
    this.status = ErrorCatalogue[code];
    this.params = params;
    this.fields = fields;
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
 * (`validation.…`, with its `params`) is translated per caller.
 */
export function zodIssues(issues: { path: (string | number)[]; message: string; params?: Record<string, unknown> }[], prefix?: string): FieldIssue[] {
  return issues.map((i) => {
    const field = [prefix, ...i.path].filter((p) => p !== undefined && p !== '').join('.') || '(root)';
    if (!/^validation\.[\w.]+$/.test(i.message)) return { field, message: i.message };
    const params = Object.fromEntries(Object.entries(i.params ?? {}).filter(([, v]) => typeof v === 'string' || typeof v === 'number')) as Record<string, string | number>;
    return fieldIssue(field, i.message, params);
  });
}

/** A validation error naming every failing field. */
export function validationError(fields: FieldIssue[]): SuiteError {
  return new SuiteError('SUITE_VALIDATION_FAILED', { fields: fields.map((f) => f.field).join(', ') }, fields);
}
