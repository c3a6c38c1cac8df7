/**
 * Reseller routing (WSM-25): a request belongs to the queue of its brand's data controller — the nearest reseller in
 * the brand chain, else the brand itself. A provider above a reseller sees the reseller's requests only as processor.
 */
import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import type { Brand } from '../../../core/brands/brand';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';

interface BrandRow { id: number; slug: string; name: string; kind: 'provider' | 'reseller'; parent_id: number | null; created_at: number }

/** The brand chain read through `db` (inside a transaction, where the brand cache may not query beside it). */
async function chainIn(db: Knex | Knex.Transaction, brand: Brand): Promise<Brand[]> {
  const out = [brand];
  let parentId = brand.parentId;
  while (parentId !== null && out.length < 8) {
    const r = (await db('brands').where({ id: parentId }).first('id', 'slug', 'name', 'kind', 'parent_id', 'created_at')) as BrandRow | undefined;
    if (!r) break;
    const b: Brand = { id: Number(r.id), slug: r.slug, name: r.name, kind: r.kind, parentId: r.parent_id === null ? null : Number(r.parent_id), createdAt: Number(r.created_at) };
    out.push(b);
    parentId = b.parentId;
  }
  return out;
}

/** The brand whose queue holds requests for `brand`; pass `db` (the transaction) when called inside one. */
export async function queueBrandOf(kernel: Kernel, brand: Brand, db?: Knex | Knex.Transaction): Promise<Brand> {
  const chain = db ? await chainIn(db, brand) : await kernel.brands.chain(brand);
  for (const b of chain) if (b.kind === 'reseller') return b;
  return brand;
}

/** The role a brand plays for a request: the controller (its queue) or the processor (an ancestor brand), else none. */
export async function roleOf(kernel: Kernel, viewer: Brand, queueBrandId: number): Promise<'controller' | 'processor' | null> {
  if (viewer.id === queueBrandId) return 'controller';
  const queue = await kernel.brands.getById(queueBrandId);
  const chain = await kernel.brands.chain(queue);
  return chain.some((b) => b.id === viewer.id) ? 'processor' : null;
}

/**
 * Guards the module's admin routes of a reseller brand against keys scoped to a brand above it (WSM-25): such a
 * key may open the reseller's routes (it sees the brands below it), but for the reseller's customers its brand is
 * only the processor — it reads the queue through its own brand with `?view=processor` and cannot act as controller.
 * Owner keys (every brand) and the reseller's own keys pass.
 */
export function processorKeyGuard(kernel: Kernel): RequestHandler {
  return (req, _res, next) => {
    const home = req.principal?.brandIds?.[0]; // a scoped key's own brand comes first (ApiKeys.verify: descendants of it)
    const brand = req.brand;
    if (home === undefined || !brand || home === brand.id) return next();
    (async () => {
      const queue = await queueBrandOf(kernel, brand);
      if (queue.kind === 'reseller' && queue.id !== home) {
        const own = await kernel.brands.getById(home);
        throw new SuiteError('SUITE_RIGHTS_PROCESSOR_KEY', { brand: own.slug, controller: queue.slug });
      }
    })().then(() => next(), next);
  };
}
