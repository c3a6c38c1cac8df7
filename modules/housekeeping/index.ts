/** housekeeping: prunes the kernel's short-lived records (idempotency answers, delivered outbox rows, old hook failures). */
import { z } from 'zod';
import { defineModule } from '../../core/modules/define-module';

const DAY = 86_400_000;

export const HousekeepingSettings = z.object({
  idempotencyDays: z.number().int().min(1).default(7),
  deliveredOutboxDays: z.number().int().min(1).default(30),
  hookFailureDays: z.number().int().min(1).default(90),
});

export default defineModule({
  name: 'housekeeping',
  version: '1.0.0',
  type: 'addon',
  description: 'Prunes idempotency answers, delivered outbox messages and old hook failures on a schedule.',
  settings: HousekeepingSettings,
  storesPersonalData: false,
  jobs: [{
    name: 'prune',
    schedule: '17 3 * * *',
    description: 'Daily: delete idempotency answers, delivered outbox rows and hook failures past their keep period.',
    async run({ kernel, brands }) {
      const counts = { idempotency: 0, outbox: 0, hookFailures: 0 };
      for (const brand of brands) {
        const s = HousekeepingSettings.parse(await kernel.settings('housekeeping', brand));
        const now = Date.now();
        counts.idempotency += await kernel.db('idempotency_keys').where({ brand_id: brand.id }).andWhere('created_at', '<', now - s.idempotencyDays * DAY).delete();
        counts.outbox += await kernel.db('outbox').where({ brand_id: brand.id, state: 'delivered' }).andWhere('delivered_at', '<', now - s.deliveredOutboxDays * DAY).delete();
        counts.hookFailures += await kernel.db('hook_failures').where({ brand_id: brand.id }).andWhere('created_at', '<', now - s.hookFailureDays * DAY).delete();
      }
      return counts;
    },
  }],
});
