/** The admin API basics: modules, bindings and their per-brand switches, brands, profiles, audit, alerts, outbox, hook failures, subjects. */
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { fieldIssue, SuiteError, validationError } from '../errors';
import type { Kernel } from '../kernel';
import { assertBrandAccess, assertCanWrite, type ApiKeys } from '../apikeys/api-keys';
import { actorOf, requireApiKey } from './admin-auth';
import { asyncRoute } from './respond';
import type { Brand } from '../brands/brand';
import { idParam, limitParam, parseInput } from './route-input';
import { accessChanges, readSubjectAs } from '../subjects/access';
import { accessWatch } from '../security/access-watch';
import { jsonBody } from './body';

const Toggle = z.object({ enabled: z.boolean({ required_error: 'enabled (true or false) is required' }) });

export function adminRouter(kernel: Kernel, keys: ApiKeys): Router {
  const r = express.Router();
  r.use('/api/v1/admin', jsonBody({ limit: '1mb' }), requireApiKey(kernel, keys));

  async function brandFor(req: Request): Promise<Brand> {
    const brand = await kernel.brands.get(req.params.brand);
    assertBrandAccess(req.principal!, brand.id);
    return brand;
  }

  r.get('/api/v1/admin/hooks', (_req, res) => {
    res.json({ ok: true, hooks: kernel.hooks.catalogue() });
  });

  r.get('/api/v1/admin/modules', asyncRoute(async (req, res) => {
    const brand = typeof req.query.brand === 'string' ? await kernel.brands.get(req.query.brand) : undefined;
    if (brand) assertBrandAccess(req.principal!, brand.id);
    const modules = [];
    for (const m of kernel.modules.list()) {
      modules.push({
        name: m.name, version: m.version, type: m.type, description: m.description, requires: m.requires ?? [],
        jobs: (m.jobs ?? []).map((j) => ({ name: j.name, schedule: j.schedule })), storesPersonalData: m.storesPersonalData,
        ...(brand ? { enabled: await kernel.modules.enabledFor(kernel.brands, brand, m.name) } : {}),
      });
    }
    res.json({ ok: true, modules, failures: kernel.modules.failures });
  }));

  r.get('/api/v1/admin/brands', asyncRoute(async (req, res) => {
    const all = await kernel.brands.list();
    const ids = req.principal!.brandIds;
    res.json({ ok: true, brands: all.filter((b) => !ids || ids.includes(b.id)) });
  }));

  r.post('/api/v1/admin/brands', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const body = (req.body ?? {}) as { parent?: string };
    if (req.principal!.brandIds) {
      // A scoped key may only add brands below a brand it already sees.
      if (!body.parent) throw new SuiteError('SUITE_BRAND_FORBIDDEN');
      assertBrandAccess(req.principal!, (await kernel.brands.get(body.parent)).id);
    }
    const { brand, hookSecret } = await kernel.brands.create(req.body, actorOf(req));
    res.status(201).json({ ok: true, brand, hookSecret });
  }));

  r.get('/api/v1/admin/brands/:brand/profile', asyncRoute(async (req, res) => {
    const brand = await brandFor(req);
    res.json({ ok: true, brand, profile: await kernel.brands.profile(brand) });
  }));

  r.put('/api/v1/admin/brands/:brand/profile', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const brand = await brandFor(req);
    const layer = parseInput(z.record(z.string(), z.unknown()), req.body);
    if (req.principal!.brandIds) {
      // Who reads which category (MS-1.2, ESM-3) is for keys of every brand: a reseller could grant itself more.
      const changed = accessChanges(layer.access, (await kernel.brands.profile(brand)).access);
      if (changed.length) throw validationError(changed.map((c) => fieldIssue(`access.${c}`, 'validation.profile.accessScoped')));
    }
    const profile = await kernel.brands.setProfile(brand.slug, layer, actorOf(req));
    res.json({ ok: true, profile });
  }));

  r.get('/api/v1/admin/brands/:brand/bindings', asyncRoute(async (req, res) => {
    const brand = await brandFor(req);
    const bindings = [];
    for (const b of kernel.hooks.bindings) {
      bindings.push({
        id: b.id, hook: b.hook, module: b.module, action: b.action, priority: b.priority, description: b.description, enabledByDefault: b.enabledByDefault,
        enabled: await kernel.brands.isEnabled(brand.id, 'binding', b.id, b.enabledByDefault),
        moduleEnabled: await kernel.modules.enabledFor(kernel.brands, brand, b.module),
      });
    }
    res.json({ ok: true, brand: brand.slug, bindings });
  }));

  r.put('/api/v1/admin/brands/:brand/bindings/:id', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const brand = await brandFor(req);
    const { enabled } = parseInput(Toggle, req.body);
    if (!kernel.hooks.bindings.some((b) => b.id === req.params.id)) throw new SuiteError('SUITE_BINDING_UNKNOWN', { binding: req.params.id });
    await kernel.brands.setEnabled(brand.slug, 'binding', req.params.id, enabled, actorOf(req), req.ip);
    res.json({ ok: true, brand: brand.slug, binding: req.params.id, enabled });
  }));

  r.put('/api/v1/admin/brands/:brand/modules/:name', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const brand = await brandFor(req);
    const { enabled } = parseInput(Toggle, req.body);
    if (!kernel.modules.get(req.params.name)) throw new SuiteError('SUITE_MODULE_UNKNOWN', { module: req.params.name });
    await kernel.brands.setEnabled(brand.slug, 'module', req.params.name, enabled, actorOf(req), req.ip);
    res.json({ ok: true, brand: brand.slug, module: req.params.name, enabled });
  }));

  r.get('/api/v1/admin/audit', asyncRoute(async (req, res) => {
    const brandIds = req.principal!.brandIds;
    const limit = limitParam(req.query.limit, 100, 1000);
    const entries = await kernel.audit.list({ brandIds, action: typeof req.query.action === 'string' ? req.query.action : undefined, limit });
    res.json({ ok: true, entries });
  }));

  r.get('/api/v1/admin/hook-failures', asyncRoute(async (req, res) => {
    let q = kernel.db('hook_failures').orderBy('id', 'desc').limit(200);
    if (req.principal!.brandIds) q = q.whereIn('brand_id', req.principal!.brandIds);
    res.json({ ok: true, failures: await q });
  }));

  r.get('/api/v1/admin/outbox', asyncRoute(async (req, res) => {
    const state = typeof req.query.state === 'string' ? parseInput(z.enum(['pending', 'delivering', 'delivered', 'dead']), req.query.state) : undefined;
    res.json({ ok: true, messages: await kernel.outbox.list({ state, brandIds: req.principal!.brandIds }) });
  }));

  r.post('/api/v1/admin/outbox/:id/retry', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const id = idParam(req.params.id);
    const { brandId } = await kernel.outbox.retry(id, req.principal!.brandIds);
    await kernel.audit.record({ brandId, actor: actorOf(req), action: 'outbox.retry', targetType: 'outbox', targetId: id, ip: req.ip });
    res.json({ ok: true, id, state: 'pending' });
  }));

  // MS-10: unusual-access alerts. A brand-scoped key sees the alerts whose failures named one of its brands, counted
  // over those failures only; failures that named no brand (a wrong API key) are for unscoped keys.
  r.get('/api/v1/admin/alerts', asyncRoute(async (req, res) => {
    const limit = limitParam(req.query.limit, 100, 500);
    const brandIds = req.principal!.brandIds;
    const alerts = await accessWatch(kernel).alerts({ brandIds, limit });
    const slugs = new Map((await kernel.brands.list()).map((b) => [b.id, b.slug]));
    res.json({
      ok: true,
      alerts: alerts.map(({ brandIds: ids, windowStart, createdAt, ...a }) => ({
        ...a, windowStart: new Date(windowStart).toISOString(), windowEnd: new Date(windowStart + a.windowSeconds * 1000).toISOString(),
        createdAt: new Date(createdAt).toISOString(), brands: ids.map((id) => slugs.get(id) ?? String(id)),
      })),
    });
  }));

  r.get('/api/v1/admin/subjects/:id', asyncRoute(async (req, res) => {
    const subject = await kernel.subjects.get(idParam(req.params.id));
    assertBrandAccess(req.principal!, subject.brandId);
    const profile = await kernel.brands.profile(await kernel.brands.getById(subject.brandId));
    // The profile's access table decides per role, the owner's too (MS-1.2, ESM-3); the read is audited with its categories.
    const { fields, withheld } = await readSubjectAs(kernel, subject, profile, { role: req.principal!.role, actor: actorOf(req), ip: req.ip });
    res.json({ ok: true, subject, fields, withheld });
  }));

  return r;
}
