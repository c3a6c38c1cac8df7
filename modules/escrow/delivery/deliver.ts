/**
 * The outbox deliverer of `escrow.deliver`: sends a queued deposit's files (the parts, then the hash file last) to the
 * brand's target, skipping files already there at full size, then marks the deposit delivered and removes its staging
 * directory. A failure throws, so the outbox retries with backoff; only the error's code or message is kept, never
 * credentials.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { SuiteError } from '../../../core/errors';
import type { OutboxDeliverer } from '../../../core/modules/define-module';
import { moduleSettings } from '../../../core/profile/module-settings';
import { getDeposit } from '../deposit/deposit-store';
import { EscrowSettings } from '../settings';
import { directoryTarget } from './directory-target';
import { sftpTarget } from './sftp-target';
import type { DeliveryTarget } from './target';

/** Delivers one deposit; answers how many files were sent and how many were already there. */
export const deliverDeposit: OutboxDeliverer = async (msg, kernel) => {
  const id = Number(msg.payload.depositId);
  const dep = await getDeposit(kernel.db, id);
  if (!dep || dep.state === 'delivered') return;
  const brand = await kernel.brands.getById(dep.brandId);
  const s = moduleSettings(EscrowSettings, await kernel.brands.profile(brand), 'escrow');
  let target: DeliveryTarget;
  try {
    if (s.delivery === 'directory') target = await directoryTarget(s.directory!);
    else target = await sftpTarget(s.sftp!, kernel.log);
  } catch (err) {
    throw new SuiteError('SUITE_ESCROW_DELIVERY_FAILED', { reason: (err as { code?: string }).code ?? 'connect failed' });
  }
  let sent = 0;
  try {
    for (const f of dep.files) {
      if ((await target.size(f.name)) === f.bytes) continue;
      await target.put(path.join(dep.stagingDir, f.name), f.name);
      sent += 1;
    }
  } catch (err) {
    throw new SuiteError('SUITE_ESCROW_DELIVERY_FAILED', { reason: (err as { code?: string }).code ?? (err as Error).message.slice(0, 200) });
  } finally {
    await target.close();
  }
  await kernel.db('escrow_deposits').where({ id }).update({ state: 'delivered', delivered_at: Date.now() });
  await fs.rm(dep.stagingDir, { recursive: true, force: true });
  kernel.log.info({ deposit: id, sent, skipped: dep.files.length - sent }, 'escrow deposit delivered');
};
