/**
 * The admin panel's modules and hook bindings page per brand: `GET /admin/brands/:brand/modules` with an on/off form
 * per row, `POST /admin/brands/:brand/bindings/:id` and `POST /admin/brands/:brand/modules/:name` (CSRF, 303 back
 * with a flash). Read-only roles see states without forms; another brand's page is 403 and audited. Mounted by
 * admin-pages.ts after the session middleware; the switches go through the same services as the admin API.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { SuiteError } from '../errors';
import type { Kernel } from '../kernel';
import { t } from '../i18n';
import { pageLocale, requireCsrf } from '../pages';
import { actorOf } from './admin-auth';
import { adminBrand, assertAdminCanWrite, sendAdminPage } from './admin-kit';
import { requireAdminSession } from './admin-session';
import { asyncRoute } from './respond';

/** The switch form's body: the wanted state. */
const SwitchForm = z.object({ enabled: z.enum(['on', 'off']) });
/** The flash a redirect carries back to the page (a known kind and a known item, never free text). */
const Flash = z.object({ flash: z.enum(['binding-on', 'binding-off', 'module-on', 'module-off']), item: z.string().max(100) });

/** Builds the modules-and-bindings routes (after `adminSession` on /admin). */
export function adminPanelModulesRouter(kernel: Kernel): Router {
  const r = express.Router();
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 5 });
  r.use('/admin/brands', requireAdminSession());

  r.get('/admin/brands/:brand/modules', asyncRoute(async (req, res) => {
    const locale = pageLocale(req, 'en');
    const brand = await adminBrand(kernel, req);
    const on = t(locale, 'admin.panel.on');
    const off = t(locale, 'admin.panel.off');
    const modules = [];
    for (const m of kernel.modules.list()) {
      const enabled = await kernel.modules.enabledFor(kernel.brands, brand, m.name);
      modules.push({ name: m.name, description: m.description, enabled, state: enabled ? on : off, action: `/admin/brands/${encodeURIComponent(brand.slug)}/modules/${encodeURIComponent(m.name)}` });
    }
    const moduleOn = new Map(modules.map((m) => [m.name, m.enabled]));
    const bindings = [];
    for (const b of kernel.hooks.bindings) {
      const enabled = await kernel.brands.isEnabled(brand.id, 'binding', b.id, b.enabledByDefault);
      bindings.push({
        id: b.id, hook: b.hook, module: b.module, description: b.description, priority: b.priority,
        byDefault: b.enabledByDefault ? on : off, enabled, state: enabled ? on : off, moduleOff: moduleOn.get(b.module) === false,
        action: `/admin/brands/${encodeURIComponent(brand.slug)}/bindings/${encodeURIComponent(b.id)}`,
      });
    }
    // The flash names only a binding or module of this page: a crafted link cannot put its own words on it.
    const flash = Flash.safeParse(req.query);
    const flashKnown = flash.success && (flash.data.flash.startsWith('binding') ? bindings.some((b) => b.id === flash.data.item) : moduleOn.has(flash.data.item));
    await sendAdminPage(kernel, req, res, 200, {
      page: 'admin/modules', title: t(locale, 'admin.modules.title', { brand: brand.name }), brand,
      view: { modules, bindings, flash: flash.success && flashKnown ? t(locale, `admin.modules.flash.${flash.data.flash}`, { item: flash.data.item }) : null },
    });
  }));

  /** One switch: checks session, CSRF (before), brand, role and the item, then the brand service writes and audits. */
  function switchRoute(kind: 'binding' | 'module', param: 'id' | 'name', known: (item: string) => boolean, unknown: 'SUITE_BINDING_UNKNOWN' | 'SUITE_MODULE_UNKNOWN') {
    return asyncRoute(async (req, res) => {
      const item = req.params[param];
      const brand = await adminBrand(kernel, req);
      assertAdminCanWrite(req);
      if (!known(item)) throw new SuiteError(unknown, kind === 'binding' ? { binding: item } : { module: item });
      const parsed = SwitchForm.safeParse(req.body ?? {});
      if (!parsed.success) throw new SuiteError('SUITE_VALIDATION_FAILED', { fields: 'enabled' });
      const enabled = parsed.data.enabled === 'on';
      await kernel.brands.setEnabled(brand.slug, kind, item, enabled, actorOf(req), req.ip);
      const q = new URLSearchParams({ flash: `${kind}-${enabled ? 'on' : 'off'}`, item });
      res.redirect(303, `/admin/brands/${encodeURIComponent(brand.slug)}/modules?${q.toString()}`);
    });
  }

  r.post('/admin/brands/:brand/bindings/:id', form, requireCsrf(kernel),
    switchRoute('binding', 'id', (id) => kernel.hooks.bindings.some((b) => b.id === id), 'SUITE_BINDING_UNKNOWN'));
  r.post('/admin/brands/:brand/modules/:name', form, requireCsrf(kernel),
    switchRoute('module', 'name', (name) => Boolean(kernel.modules.get(name)), 'SUITE_MODULE_UNKNOWN'));

  return r;
}
