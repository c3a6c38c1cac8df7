/**
 * The policy version a page showed (MS-2 / SP-3): `terms_version_shown` beside the terms checkbox,
 * `privacy_version_shown` beside a marketing choice or newsletter sign-up. A consent is bound to that exact version in
 * the person's language; a named version that does not exist there refuses the whole call before anything is written.
 */
import type { Knex } from 'knex';
import { fieldIssue, validationError, type FieldIssue } from '../../../core/errors';
import type { HookCheckContext } from '../../../core/modules/define-module';
import type { HookName } from '../../../hooks/catalogue';
import { documentInForce, toDocument, type DocumentKind, type PolicyDocument } from '../documents/current-document';

type Db = Knex | Knex.Transaction;

/** The variables a page names the shown versions in. */
export interface ShownVersions { terms_version_shown?: string; privacy_version_shown?: string }

const VARIABLE = { terms: 'terms_version_shown', privacy: 'privacy_version_shown' } as const;
const UNKNOWN = { terms: 'validation.consent.termsVersionUnknown', privacy: 'validation.consent.privacyVersionUnknown' } as const;

/** The language a person is shown documents of `kind` in: theirs where the brand has the kind in it, else the brand's own. */
async function shownLanguage(db: Db, brandId: number, kind: DocumentKind, locale: string, fallback: string): Promise<string> {
  if (locale === fallback) return locale;
  return (await db('consent_documents').where({ brand_id: brandId, kind, language: locale }).first('id')) ? locale : fallback;
}

/** Version `version` of `kind` in the language the person is shown, or undefined when the brand has no such version there. */
async function namedDocument(db: Db, brandId: number, kind: DocumentKind, version: string, locale: string, fallback: string): Promise<{ language: string; doc?: PolicyDocument }> {
  const language = await shownLanguage(db, brandId, kind, locale, fallback);
  const row = (await db('consent_documents').where({ brand_id: brandId, kind, language, version })
    .first('id', 'brand_id', 'kind', 'language', 'version', 'text_hash', 'material', 'published_at', 'effective_at')) as Parameters<typeof toDocument>[0] | undefined;
  return { language, doc: row ? toDocument(row) : undefined };
}

/**
 * The document a consent is bound to: the version the page named (in the person's language), else the one in force in
 * their language. A named version that does not exist throws SUITE_VALIDATION_FAILED naming its variable.
 */
export async function shownDocument(db: Db, brandId: number, kind: 'terms' | 'privacy', version: string | undefined, locale: string, fallback: string): Promise<PolicyDocument | undefined> {
  if (version === undefined) return documentInForce(db, brandId, kind, locale, fallback);
  const { language, doc } = await namedDocument(db, brandId, kind, version, locale, fallback);
  if (!doc) throw validationError([fieldIssue(`vars.${VARIABLE[kind]}`, UNKNOWN[kind], { version, language })]);
  return doc;
}

/** The hook check of every consent action that takes shown versions: refuses (400 naming each variable) versions that do not exist. */
export async function checkShownVersions(ctx: HookCheckContext<HookName>): Promise<void> {
  const vars = ctx.vars as ShownVersions;
  const issues: FieldIssue[] = [];
  for (const kind of ['terms', 'privacy'] as const) {
    const version = vars[VARIABLE[kind]];
    if (version === undefined) continue;
    const { language, doc } = await namedDocument(ctx.db, ctx.brand.id, kind, version, ctx.call.locale, ctx.profile.locale);
    if (!doc) issues.push(fieldIssue(`vars.${VARIABLE[kind]}`, UNKNOWN[kind], { version, language }));
  }
  if (issues.length) throw validationError(issues);
}
