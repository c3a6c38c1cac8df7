/** `defineModule`: the one definition object a module exports, and the types a module's parts are written against. */
import type { Knex } from 'knex';
import type { Router } from 'express';
import type { z } from 'zod';
import type { HookName, HookVars } from '../../hooks/catalogue';
import type { Brand } from '../brands/brand';
import type { DataCategory, PrivacyProfile } from '../profile/schema';
import type { Migration } from '../db/migrator';
import type { EncryptedColumns } from '../crypto/encrypted-columns';
import type { HashChain } from '../chain/hash-chain';
import type { Kernel } from '../kernel';
import type { Logger } from '../logger';
import type { Command } from 'commander';
import type { ModuleErrors } from '../errors';

/** Where a hook call came from: brand, request facts (IP, user agent, GPC signal, locale) and who made it. */
export interface CallContext {
  brand: Brand;
  ip?: string;
  userAgent?: string;
  gpc?: boolean;
  locale: string;
  actor: string;
  requestId: string;
}

/** A hook answer in WHMCS's conventions; merged over all handlers in priority order. */
export interface HookAnswer {
  errors?: string[];
  abortWithError?: string;
  abortWithSuccess?: boolean;
  abortsend?: boolean;
  mergefields?: Record<string, unknown>;
  /** Suite-specific data (e.g. created ids) for in-process callers and the JSON answer. */
  data?: Record<string, unknown>;
}

/** What a hook handler receives. `vars` is mutable in pre hooks: later handlers and the caller see the change. */
export interface HookHandlerContext<H extends HookName = HookName, S = Record<string, unknown>> {
  hook: H;
  vars: HookVars<H>;
  brand: Brand;
  profile: PrivacyProfile;
  settings: S;
  call: CallContext;
  trx: Knex.Transaction;
  kernel: Kernel;
  log: Logger;
  /** Translates a lang key in the caller's locale. */
  t: (key: string, params?: Record<string, string | number>) => string;
}

export type HookHandler<H extends HookName = HookName, S = Record<string, unknown>> = (ctx: HookHandlerContext<H, S>) => Promise<HookAnswer | void> | HookAnswer | void;

/** What a hook check receives: the validated call, read-only (no transaction is open yet). */
export interface HookCheckContext<H extends HookName = HookName> {
  hook: H; vars: HookVars<H>; brand: Brand; profile: PrivacyProfile; call: CallContext; kernel: Kernel; db: Knex;
}

/**
 * Checks a call's variables against what the module holds, before the call's transaction opens (an unknown policy
 * version named by the page, say). Throws SUITE_VALIDATION_FAILED naming `vars.<name>` to refuse the whole call with a
 * 400 and nothing written — also for an `after` hook, whose handler errors never reach the caller.
 */
export type HookCheck<H extends HookName = HookName> = (ctx: HookCheckContext<H>) => Promise<void> | void;

/** A module action bound to one hook; the binding files in hooks/bindings connect it and set its priority. */
export interface HookAction<H extends HookName = HookName> {
  hook: H;
  handler: HookHandler<H>;
  check?: HookCheck<H>;
}

/** Any module action, whatever its hook. */
export type AnyHookAction = { [H in HookName]: HookAction<H> }[HookName];

/** Declares a module action for a hook; the handler's payload type comes from the hook's name. */
export function onHook<H extends HookName, S = Record<string, unknown>>(hook: H, handler: HookHandler<H, S>, opts: { check?: HookCheck<H> } = {}): HookAction<H> {
  return { hook, handler: handler as HookHandler<H>, check: opts.check };
}

/** A scheduled job: cron expression, run by exactly one instance (lease), once per tick for the brands the module is on for. */
export interface JobSpec {
  name: string;
  schedule: string;
  description: string;
  run: (ctx: { kernel: Kernel; brands: Brand[]; log: Logger; signal: AbortSignal }) => Promise<Record<string, unknown> | void>;
}

/**
 * Routes a module serves: `client` under /b/:brand/<module>/ (404 where the module is off for the brand), `admin` under
 * /api/v1/admin/brands/:brand/modules/<module>/ (API key scoped to the brand), `root` at the site root for
 * brand-independent, unauthenticated resources such as /.well-known/gpc.json.
 */
export interface ModuleRoutes {
  root?: (router: Router, kernel: Kernel) => void;
  client?: (router: Router, kernel: Kernel) => void;
  admin?: (router: Router, kernel: Kernel) => void;
  /**
   * Admin panel pages under /admin/brands/:brand/<module>/ (docs/pages.md, "Admin pages"): behind the panel's session
   * (a logged-in user), the brand check (another brand's page is 403, audited) and 404 where the module is off for
   * the brand; `req.brand` is set. Render with `sendAdminPage` (core/http/admin-kit); forms take `adminForm()` and
   * `requireCsrf(kernel)`. The sections to link from the brand's navigation are the definition's `adminNav`.
   */
  pages?: (router: Router, kernel: Kernel) => void;
}

/** A section of a module's admin pages, linked from the brand's navigation: `path` under the module's pages, `label` a lang key. */
export interface AdminNavEntry { path: string; label: string }

/** One panel of the admin dashboard a module contributes (numbers and an optional chart), for the brands the user sees. */
export interface DashboardPanel {
  /** Stable id (data-panel attribute, tests). */
  id: string;
  /** Lang key of the heading. */
  title: string;
  /** Figures: a lang key for the label, the number, and a link (a page of the panel) where there is one. */
  stats: { label: string; value: number; href?: string; tone?: 'ok' | 'warn' | 'bad' }[];
  /** An optional bar chart over time or categories: label per bar (already in the reader's language or a date), one or two series. */
  chart?: { title: string; series: { label: string; values: number[] }[]; labels: string[] };
}

/** One set of records streamed into an export (long tables: invoices, activity logs) instead of being held in memory. */
export interface ExportRecordSet { name: string; category: DataCategory; rows: AsyncIterable<Record<string, unknown>> }

/** What a rectification changed in one module: fields updated locally, and where the change was sent on (outbox ids or recipients). */
export interface RectifyOutcome { updated: string[]; propagated: string[] }

/** What a module's erasure did for one subject: records erased, what it kept (plain sentences) and the processor notices it queued. */
export interface EraseOutcome { erased: number; kept: string[]; queued?: number[] }

/**
 * What a batch erasure already read of its subjects inside its transaction, under its lock on their rows: kind and
 * panel id per subject, and every subject's decrypted inventory fields (a subject without fields has an empty record).
 * Modules read from it instead of selecting (and decrypting) the same rows again.
 */
export interface ErasureBatchKnown {
  subjects: ReadonlyMap<number, { kind: string; externalId: string }>;
  fields: ReadonlyMap<number, Readonly<Record<string, string>>>;
}

/** How a module exports and erases what it holds about one subject (the rights module walks every module through this). */
export interface PersonalDataProvider {
  export: (subjectId: number, ctx: { kernel: Kernel; trx?: Knex.Transaction }) => Promise<Record<string, unknown>>;
  /**
   * `brand` and `profile` are the subject's brand and its effective profile, resolved by the caller before it opens
   * `trx` (nothing may query the db outside `trx` here); modules that tell processors (registrar) about the erasure need
   * the profile. A provider with `eraseMany` keeps one implementation: `erase: eraseOne(eraseMany)` (erase-one.ts).
   */
  erase: (subjectId: number, ctx: { kernel: Kernel; trx: Knex.Transaction; brand: Brand; profile?: PrivacyProfile }) => Promise<{ erased: number; kept: string[] }>;
  /**
   * The set-based erase of many subjects of `brand` at once (optional; without it a batch erasure calls `erase` once per
   * subject): must leave exactly what `erase` would leave for each of them, with a handful of statements per batch, and
   * answer per subject what `erase` would have answered, plus the outbox ids of processor notices it queued for them.
   * `known` (when given) holds what the batch already read of these subjects in `trx`.
   */
  eraseMany?: (subjectIds: number[], ctx: { kernel: Kernel; trx: Knex.Transaction; brand: Brand; profile: PrivacyProfile; known?: ErasureBatchKnown }) => Promise<Map<number, EraseOutcome>>;
  /** Long record sets for the export, streamed in batches (optional; `export` still gives the module's summary). */
  records?: (subjectId: number, ctx: { kernel: Kernel }) => AsyncIterable<ExportRecordSet>;
  /** Applies a rectification (field → new value) to what the module holds, and sends it on to where it was disclosed (MS-8e). */
  rectify?: (subjectId: number, changes: Record<string, string>, ctx: { kernel: Kernel; trx: Knex.Transaction; brand: Brand; profile: PrivacyProfile }) => Promise<RectifyOutcome>;
  /**
   * Expires what the module holds of one data category for some subjects of `brand` (the retention sweep, MS-9), inside
   * `trx`, set-based: deletes the records or removes their personal values. With `until`, only records collected at
   * or before that time. Returns how many records changed.
   */
  expire?: (category: DataCategory, subjectIds: number[], ctx: { kernel: Kernel; trx: Knex.Transaction; brand: Brand; until?: number }) => Promise<number>;
}

/** Delivers one outbox message for a topic; throws to retry. Receives the idempotency key to pass on. */
export type OutboxDeliverer = (msg: { id: number; topic: string; payload: Record<string, unknown>; idempotencyKey: string; attempt: number; brandId: number }, kernel: Kernel) => Promise<void>;

export type ModuleType = 'addon' | 'registrar' | 'gateway';

/** The definition a module exports from its index.ts. */
export interface ModuleDefinition<S extends z.ZodTypeAny = z.ZodTypeAny> {
  name: string;
  version: string;
  type: ModuleType;
  description: string;
  /** Settings schema; values come from the brand's profile `modules.<name>`, resolved through the brand chain. */
  settings?: S;
  migrations?: Migration[];
  hooks?: Record<string, AnyHookAction>;
  routes?: ModuleRoutes;
  jobs?: JobSpec[];
  requires?: string[];
  /** True when the module stores personal data; then `personalData` is mandatory. */
  storesPersonalData: boolean;
  personalData?: PersonalDataProvider;
  encryptedColumns?: EncryptedColumns[];
  /** Hash-chained tables the module keeps; `privacy-suite ledger verify` checks them. */
  chains?: HashChain[];
  outbox?: Record<string, OutboxDeliverer>;
  /** The module's own error codes and their HTTP statuses (a public contract); the registry adds them at load. */
  errors?: ModuleErrors;
  /** Adds the module's commands to the CLI; their actions open the suite with `withSuite` (core/cli/context). */
  cli?: (program: Command) => void;
  /** A service other modules may use (named in their `requires`). */
  service?: (kernel: Kernel) => unknown;
  /** Starts what the module serves outside HTTP (listeners, loops) when the suite starts its background work; `stop` ends it. */
  start?: (kernel: Kernel) => Promise<void>;
  /** Releases what the module holds open (sessions, pools) on graceful shutdown. */
  stop?: (kernel: Kernel) => Promise<void>;
  /** The sections of the module's admin pages (`routes.pages`) in the brand's navigation. */
  adminNav?: AdminNavEntry[];
  /** The module's dashboard panels over the brands a user sees (`brandIds`: null for every brand). */
  dashboard?: (ctx: { kernel: Kernel; brandIds: number[] | null; locale: string; now: number }) => Promise<DashboardPanel[]>;
  /** Whether the module is on for a brand that has no switch for it (default true). */
  enabledByDefault?: boolean;
}

/** Declares a module. Checks the definition's own consistency; the registry checks the rest at load. */
export function defineModule<S extends z.ZodTypeAny>(def: ModuleDefinition<S>): ModuleDefinition<S> {
  if (!/^[a-z][a-z0-9-]*(\/[a-z][a-z0-9-]*)?$/.test(def.name)) throw new Error(`module name "${def.name}" must be kebab-case`);
  if (def.storesPersonalData && !def.personalData) throw new Error(`module "${def.name}" stores personal data but has no personalData export/erase`);
  return def;
}

/** Brand-scoped settings of a module for a profile. */
export type SettingsOf<M> = M extends ModuleDefinition<infer S> ? z.infer<S> : never;
export type { PrivacyProfile };
