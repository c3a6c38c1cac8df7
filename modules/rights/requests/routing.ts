/**
 * Reseller routing (WSM-25): a request belongs to the queue of its brand's data controller — the nearest reseller in
 * the brand chain, else the brand itself. A provider above a reseller sees the reseller's requests only as processor.
 */
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';

/** The brand whose queue holds requests for `brand`. */
export async function queueBrandOf(kernel: Kernel, brand: Brand): Promise<Brand> {
  for (const b of await kernel.brands.chain(brand)) if (b.kind === 'reseller') return b;
  return brand;
}

/** The role a brand plays for a request: the controller (its queue) or the processor (an ancestor brand), else none. */
export async function roleOf(kernel: Kernel, viewer: Brand, queueBrandId: number): Promise<'controller' | 'processor' | null> {
  if (viewer.id === queueBrandId) return 'controller';
  const queue = await kernel.brands.getById(queueBrandId);
  const chain = await kernel.brands.chain(queue);
  return chain.some((b) => b.id === viewer.id) ? 'processor' : null;
}
