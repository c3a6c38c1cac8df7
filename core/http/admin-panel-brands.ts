/**
 * The admin panel's brands and privacy profiles: `GET /admin/brands` (the brands the user sees, and a form that creates
 * one, showing its hook secret once), `GET /admin/brands/:brand/profile` (the effective profile, readably, and the
 * brand's own layer in an edit form) and `POST /admin/brands/:brand/profile` (saved through the brand service, which
 * validates and audits; an invalid form comes back with every field named). Same rules as the admin API's routes.
 */
import express, { type Request, type Response, type Router } from 'express';
import { SuiteError, errorStatus, fieldIssue, validationError } from '../errors';
import type { Kernel } from '../kernel';
import { t } from '../i18n';
import { pageLocale, requireCsrf } from '../pages';
import type { Brand } from '../brands/brand';
import { DataCategory, type PrivacyProfile } from '../profile/schema';
import { accessChanges } from '../subjects/access';
import { actorOf } from './admin-auth';
import { adminBrand, adminForm, assertAdminCanWrite, flashMessage, formErrors, sendAdminPage } from './admin-kit';
import { requireAdminSession, requireAdminUser } from './admin-session';
import { asyncRoute } from './respond';

type Layer = Record<string, unknown>;
type FieldError = { field: string; message: string };

/** The new-brand form's inputs, and the brand service's field paths each one answers for. */
const CREATE_INPUTS = ['slug', 'name', 'parent', 'controllerName', 'controllerEmail', 'controllerCountry'] as const;
type CreateInput = (typeof CREATE_INPUTS)[number];
const CREATE_FIELD_OF: Record<string, CreateInput[] | undefined> = {
  slug: ['slug'], name: ['name'], parent: ['parent'], 'profile.controller': ['controllerName', 'controllerEmail'],
  'profile.controller.name': ['controllerName'], 'profile.controller.email': ['controllerEmail'], 'profile.controller.country': ['controllerCountry'],
};
const createInputsFor = (field: string): CreateInput[] => (Object.hasOwn(CREATE_FIELD_OF, field) ? CREATE_FIELD_OF[field] ?? [] : []);

/** The profile form's structured inputs: each a path of the layer (also the input's name), merged into the JSON on save. */
const PROFILE_INPUTS: readonly { path: string; type: 'text' | 'email' | 'url'; hint?: string }[] = [
  { path: 'controller.name', type: 'text' },
  { path: 'controller.email', type: 'email' },
  { path: 'controller.address', type: 'text' },
  { path: 'controller.country', type: 'text', hint: 'admin.profile.hint.country' },
  { path: 'controller.dpo', type: 'text' },
  { path: 'locale', type: 'text', hint: 'admin.profile.hint.locale' },
  { path: 'branding.name', type: 'text' },
  { path: 'branding.primaryColor', type: 'text', hint: 'admin.profile.hint.color' },
  { path: 'branding.logoUrl', type: 'url', hint: 'admin.profile.hint.logo' },
];
/** An error on one of these names the inputs below it (a reseller's missing controller: its name and e-mail). */
const PARENT_ERRORS: Record<string, string[]> = { controller: ['controller.name', 'controller.email'] };

/** The structured inputs an error on `field` (a layer path) is shown at; none: it belongs to the JSON. */
const inputsFor = (field: string): string[] => (PROFILE_INPUTS.some((i) => i.path === field) ? [field] : Object.hasOwn(PARENT_ERRORS, field) ? PARENT_ERRORS[field] : []);

const isObject = (v: unknown): v is Layer => typeof v === 'object' && v !== null && !Array.isArray(v);
const inputId = (path: string): string => `f-${path.replace(/\./g, '-')}`;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function getPath(obj: Layer, path: string): unknown {
  let cur: unknown = obj;
  for (const k of path.split('.')) cur = isObject(cur) ? cur[k] : undefined;
  return cur;
}

function setPath(obj: Layer, path: string, value: unknown): void {
  const keys = path.split('.');
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    if (!isObject(cur[k])) cur[k] = {};
    cur = cur[k] as Layer;
  }
  cur[keys[keys.length - 1]] = value;
}

/** The layer without the structured inputs' paths (they are edited above the JSON); objects left empty go too. */
function withoutInputs(layer: Layer): Layer {
  const copy = structuredClone(layer);
  for (const { path } of PROFILE_INPUTS) {
    const keys = path.split('.');
    const parent = keys.length > 1 ? getPath(copy, keys.slice(0, -1).join('.')) : copy;
    if (!isObject(parent)) continue;
    delete parent[keys[keys.length - 1]];
    if (keys.length > 1 && Object.keys(parent).length === 0 && isObject(copy[keys[0]])) delete copy[keys[0]];
  }
  return copy;
}

/** A field path as the form names it: the service's `profile.x` is the layer's `x`; the whole document is `layer`. */
function layerField(field: string): string {
  if (field === 'profile' || field === '(root)') return 'layer';
  return field.startsWith('profile.') ? field.slice('profile.'.length) : field;
}

/** The brand's own stored layer (what it sets over its parents and the defaults), as the brand service stores it. */
async function ownLayer(kernel: Kernel, brand: Brand): Promise<Layer> {
  const row = (await kernel.db('brands').where({ id: brand.id }).first('profile')) as { profile: string | null } | undefined;
  const parsed: unknown = row?.profile ? JSON.parse(row.profile) : {};
  return isObject(parsed) ? parsed : {};
}

/** The effective profile, or the fields that make the stored one invalid (the page still lets an admin correct it). */
async function effectiveOf(kernel: Kernel, brand: Brand, locale: string): Promise<{ profile: PrivacyProfile | null; invalid: FieldError[] }> {
  try {
    return { profile: await kernel.brands.profile(brand), invalid: [] };
  } catch (err) {
    if (err instanceof SuiteError && err.code === 'SUITE_PROFILE_STORED_INVALID') return { profile: null, invalid: formErrors(err, locale) };
    throw err;
  }
}

/** The effective profile as the page shows it (codes with their readable labels). */
function profileView(p: PrivacyProfile, locale: string): Record<string, unknown> {
  const yesNo = (b: boolean) => t(locale, b ? 'admin.profile.yes' : 'admin.profile.no');
  return {
    controller: p.controller ?? null,
    authority: p.supervisoryAuthority ?? null,
    locale: p.locale, languages: p.languages.join(', '),
    purposes: p.purposes.map((x) => ({ ...x, basis: t(locale, `policy.basis.${x.legalBasis}`), consent: yesNo(x.requiresConsent) })),
    recipients: p.recipients.map((r) => ({ ...r, country: r.country ?? '—', purposes: r.purposes.join(', '), categories: r.categories.join(', ') || '—' })),
    retention: p.retention.map((r) => ({ ...r, versions: r.policyVersions?.join(', ') ?? '—' })),
    invoiceYears: p.statutoryInvoiceYears ?? null,
    access: DataCategory.options.map((c) => ({ category: c, label: t(locale, `policy.category.${c}`), roles: p.access[c]?.join(', ') || t(locale, 'admin.profile.nobody') })),
    branding: p.branding ?? null,
    consent: { model: p.consent.model, doubleOptIn: yesNo(p.consent.doubleOptIn), minimumAge: p.consent.minimumAge, cookies: p.cookies.mode, dueRule: p.rights.dueRule },
    json: JSON.stringify(p, null, 2),
  };
}

/** The user's input of the profile form, kept when the form comes back with errors. */
interface ProfileForm { layerText: string; values: Record<string, string>; errors: FieldError[]; status: number }

/** Builds the brands and profile routes (after `adminSession` on /admin). */
export function adminPanelBrandsRouter(kernel: Kernel): Router {
  const r = express.Router();
  r.use('/admin/brands', requireAdminSession());

  /** The brands the user sees, in the brand service's order. */
  async function visibleBrands(req: Request): Promise<Brand[]> {
    const user = requireAdminUser(req);
    return (await kernel.brands.list()).filter((b) => !user.brandIds || user.brandIds.includes(b.id));
  }

  async function brandsPage(req: Request, res: Response, status: number, extra: { created?: Record<string, string>; values?: Record<string, string>; errors?: FieldError[] } = {}): Promise<void> {
    const locale = pageLocale(req, 'en');
    const user = requireAdminUser(req);
    const all = await kernel.brands.list();
    const slugOf = new Map(all.map((b) => [b.id, b.slug]));
    const visible = await visibleBrands(req);
    const brands = [];
    for (const b of visible) {
      const { profile } = await effectiveOf(kernel, b, locale);
      const base = `/admin/brands/${encodeURIComponent(b.slug)}`;
      brands.push({
        name: b.name, slug: b.slug, kind: t(locale, `admin.brands.kind.${b.kind}`), parent: b.parentId === null ? '—' : slugOf.get(b.parentId) ?? '—',
        locale: profile?.locale ?? '—', modules: `${base}/modules`, profile: `${base}/profile`,
      });
    }
    const errors = extra.errors ?? [];
    const values = extra.values ?? {};
    const inputs = Object.fromEntries(CREATE_INPUTS.map((name) => {
      const mine = errors.filter((e) => createInputsFor(e.field).includes(name));
      return [name, { value: values[name] ?? '', invalid: mine.length > 0, message: mine.map((e) => e.message).join(' ') }];
    }));
    const parents = visible.map((b) => ({ slug: b.slug, name: b.name, selected: values.parent === b.slug }));
    await sendAdminPage(kernel, req, res, status, {
      page: 'admin/brands', title: t(locale, 'admin.brands.title'),
      view: {
        brands, created: extra.created ?? null, inputs, parents, scoped: Boolean(user.brandIds),
        errors: errors.map((e) => ({ ...e, label: t(locale, `admin.brands.field.${createInputsFor(e.field)[0] ?? 'other'}`), target: createInputsFor(e.field)[0] ?? null })),
      },
    });
  }

  r.get('/admin/brands', asyncRoute(async (req, res) => {
    await brandsPage(req, res, 200);
  }));

  r.post('/admin/brands', adminForm({ limit: '8kb', fields: 10 }), requireCsrf(kernel), asyncRoute(async (req, res) => {
    assertAdminCanWrite(req);
    const user = requireAdminUser(req);
    const locale = pageLocale(req, 'en');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = Object.fromEntries(CREATE_INPUTS.map((k) => [k, str(body[k]).trim()])) as Record<CreateInput, string>;
    values.controllerCountry = values.controllerCountry.toUpperCase();
    if (user.brandIds) {
      // As the admin API: a scoped user may only add brands below a brand it already sees.
      if (!values.parent) throw new SuiteError('SUITE_BRAND_FORBIDDEN');
      const parent = await kernel.brands.find(values.parent);
      if (parent && !user.brandIds.includes(parent.id)) {
        await kernel.audit.record({
          brandId: parent.id, actor: actorOf(req), action: 'admin.brand.forbidden', targetType: 'brand', targetId: parent.slug,
          ip: req.ip, details: { method: req.method, page: '/admin/brands' },
        });
        throw new SuiteError('SUITE_BRAND_FORBIDDEN');
      }
    }
    const controller = {
      ...(values.controllerName ? { name: values.controllerName } : {}), ...(values.controllerEmail ? { email: values.controllerEmail } : {}),
      ...(values.controllerCountry ? { country: values.controllerCountry } : {}),
    };
    const input = { slug: values.slug, name: values.name, ...(values.parent ? { parent: values.parent } : {}), profile: Object.keys(controller).length ? { controller } : {} };
    try {
      const { brand, hookSecret } = await kernel.brands.create(input, actorOf(req));
      const base = `/admin/brands/${encodeURIComponent(brand.slug)}`;
      // The secret is shown on this answer only (no-store); nothing else ever shows it again.
      await brandsPage(req, res, 201, { created: { name: brand.name, slug: brand.slug, hookSecret, profile: `${base}/profile`, modules: `${base}/modules` } });
    } catch (err) {
      if (!(err instanceof SuiteError)) throw err;
      let errors = formErrors(err, locale);
      if (err.code === 'SUITE_BRAND_EXISTS') errors = [{ field: 'slug', message: t(locale, 'admin.brands.slugTaken', { slug: values.slug }) }];
      if (err.code === 'SUITE_BRAND_UNKNOWN') errors = [{ field: 'parent', message: t(locale, 'admin.brands.parentUnknown', { slug: values.parent }) }];
      if (!errors.length) throw err;
      await brandsPage(req, res, errorStatus(err.code), { values, errors });
    }
  }));

  async function profilePage(req: Request, res: Response, brand: Brand, form?: ProfileForm): Promise<void> {
    const locale = pageLocale(req, 'en');
    const { profile, invalid } = await effectiveOf(kernel, brand, locale);
    const layer = await ownLayer(kernel, brand);
    const errors = (form?.errors ?? []).map((e) => ({ ...e, field: layerField(e.field) }));
    const marks = new Map<string, FieldError[]>();
    for (const e of errors) for (const p of inputsFor(e.field)) marks.set(p, [...(marks.get(p) ?? []), e]);
    const inputs = PROFILE_INPUTS.map((i) => {
      const mine = marks.get(i.path) ?? [];
      return {
        name: i.path, id: inputId(i.path), type: i.type, label: t(locale, `admin.profile.field.${i.path}`), hint: i.hint ? t(locale, i.hint) : null,
        value: form ? form.values[i.path] ?? '' : str(getPath(layer, i.path)), invalid: mine.length > 0, message: mine.map((e) => e.message).join(' '),
      };
    });
    // Errors no structured input stands for belong to the JSON (a purpose, a recipient, the access table, the JSON itself).
    const jsonErrors = errors.filter((e) => inputsFor(e.field).length === 0);
    await sendAdminPage(kernel, req, res, form?.status ?? 200, {
      page: 'admin/profile', title: t(locale, 'admin.profile.title', { brand: brand.name }), brand,
      view: {
        effective: profile ? profileView(profile, locale) : null, storedInvalid: invalid.map((e) => ({ ...e, field: layerField(e.field) })),
        inputs, layerText: form ? form.layerText : JSON.stringify(withoutInputs(layer), null, 2), ownJson: JSON.stringify(layer, null, 2),
        layerInvalid: jsonErrors.length > 0, layerMessage: jsonErrors.map((e) => `${e.field}: ${e.message}`).join(' '),
        errors: errors.map((e) => ({ ...e, target: inputsFor(e.field).length ? inputId(inputsFor(e.field)[0]) : 'f-layer' })),
        action: `/admin/brands/${encodeURIComponent(brand.slug)}/profile`,
        flash: flashMessage(req, locale, { saved: 'admin.profile.flash.saved' }),
      },
    });
  }

  r.get('/admin/brands/:brand/profile', asyncRoute(async (req, res) => {
    await profilePage(req, res, await adminBrand(kernel, req));
  }));

  r.post('/admin/brands/:brand/profile', adminForm({ limit: '1mb', fields: 20 }), requireCsrf(kernel), asyncRoute(async (req, res) => {
    const brand = await adminBrand(kernel, req);
    assertAdminCanWrite(req);
    const user = requireAdminUser(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const layerText = str(body.layer);
    const values = Object.fromEntries(PROFILE_INPUTS.map((i) => [i.path, str(body[i.path]).trim()]));
    try {
      const layer = parseLayer(layerText);
      // A filled input sets its path over the JSON; an empty one leaves the JSON as it is (the path is not set by default).
      for (const i of PROFILE_INPUTS) if (values[i.path]) setPath(layer, i.path, values[i.path]);
      if (user.brandIds) {
        // As the admin API (MS-1.2, ESM-3): who reads which category is for users of every brand only.
        const current = (await effectiveOf(kernel, brand, 'en')).profile?.access ?? {};
        const changed = accessChanges(layer.access, current);
        if (changed.length) throw validationError(changed.map((c) => fieldIssue(`access.${c}`, 'validation.profile.accessScoped')));
      }
      await kernel.brands.setProfile(brand.slug, layer, actorOf(req));
    } catch (err) {
      if (!(err instanceof SuiteError) || !err.fields?.length) throw err;
      const locale = pageLocale(req, 'en');
      return profilePage(req, res, brand, { layerText, values, errors: formErrors(err, locale), status: errorStatus(err.code) });
    }
    res.redirect(303, `/admin/brands/${encodeURIComponent(brand.slug)}/profile?flash=saved`);
  }));

  return r;
}

/** The JSON of the layer's textarea: an object (empty text is `{}`), else a validation error naming `layer`. */
function parseLayer(text: string): Layer {
  if (!text.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const position = /position (\d+)/.exec(err instanceof Error ? err.message : '')?.[1];
    throw validationError([position ? fieldIssue('layer', 'admin.profile.jsonInvalidAt', { position: Number(position) + 1 }) : fieldIssue('layer', 'admin.profile.jsonInvalid')]);
  }
  if (!isObject(parsed)) throw validationError([fieldIssue('layer', 'admin.profile.jsonNotObject')]);
  return parsed;
}
