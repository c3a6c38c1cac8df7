/**
 * Hourly: export files never downloaded are deleted once their link expires (key cleared, state 'expired'); files of
 * downloaded, failed or revoked exports still on disk (a crash between claim and delete) are deleted too, as are
 * exports stuck in 'building' for over an hour, and spool files a crash left behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { JobSpec } from '../../../core/modules/define-module';
import { exportDir, exportPath, retireExports, type ExportRow } from './export-store';

const STUCK_MS = 3_600_000;

/** The purge job of the rights module. */
export const purgeExportsJob: JobSpec = {
  name: 'purge-exports',
  schedule: '7 * * * *',
  description: 'Hourly: delete export files whose link expired, was used or was revoked.',
  async run({ kernel, brands }) {
    const ids = brands.map((b) => b.id);
    if (!ids.length) return { expired: 0, stuck: 0, removed: 0 };
    const now = Date.now();
    const expired = (await kernel.db('rights_exports').whereIn('brand_id', ids).where({ state: 'ready' }).andWhere('expires_at', '<=', now).select('id', 'file')) as Pick<ExportRow, 'id' | 'file'>[];
    const stuck = (await kernel.db('rights_exports').whereIn('brand_id', ids).where({ state: 'building' }).andWhere('created_at', '<', now - STUCK_MS).select('id', 'file')) as Pick<ExportRow, 'id' | 'file'>[];
    const counts = { expired: await retireExports(kernel, expired, 'expired'), stuck: await retireExports(kernel, stuck, 'failed'), removed: 0 };
    const done = (await kernel.db('rights_exports').whereIn('brand_id', ids).whereIn('state', ['downloaded', 'failed', 'expired', 'revoked']).andWhere('created_at', '>', now - 90 * 86_400_000).select('file')) as Pick<ExportRow, 'file'>[];
    for (const r of done) {
      const file = exportPath(kernel, r.file);
      if (fs.existsSync(file)) { await fs.promises.rm(file, { force: true }); counts.removed++; }
    }
    // Spools of an export cut off by a crash: encrypted under a key that died with the process, unreadable, deleted.
    const dir = exportDir(kernel);
    for (const name of fs.existsSync(dir) ? await fs.promises.readdir(dir) : []) {
      if (!name.endsWith('.spool')) continue;
      const file = path.join(dir, name);
      if ((await fs.promises.stat(file)).mtimeMs < now - STUCK_MS) { await fs.promises.rm(file, { force: true }); counts.removed++; }
    }
    return counts;
  },
};
