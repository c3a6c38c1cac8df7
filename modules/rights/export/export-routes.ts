/**
 * The person's download of their export: GET /b/:brand/rights/exports/:id?token=… works exactly once. The token is
 * checked in constant time against its stored hash (wrong or unknown: 401 SUITE_LINK_INVALID); a used, expired or
 * retired link answers 410 SUITE_RIGHTS_EXPORT_GONE. The export is marked downloaded (a single conditional UPDATE,
 * one affected row) and its key cleared before a byte is sent; the file is unlinked once opened and decrypted on the fly.
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Router } from 'express';
import type { Actor } from '../../../core/audit/audit-log';
import { SuiteError } from '../../../core/errors';
import { ipKey, rateLimit } from '../../../core/http/rate-limit';
import { asyncRoute } from '../../../core/http/respond';
import { idParam } from '../../../core/http/route-input';
import type { Kernel } from '../../../core/kernel';
import { addEvent } from '../requests/request-store';
import { decryptStream } from './export-crypto';
import { exportPath, removeExportFile, tokenMatches, type ExportRow } from './export-store';

const LINK_ACTOR: Actor = { type: 'anonymous', id: 'export-link' };
const TOKEN = /^[A-Za-z0-9_-]{43,128}$/;

/** Mounts the download route on the module's client router. */
export function exportClientRoutes(router: Router, kernel: Kernel): void {
  // Tokens are 256-bit, so the limit only keeps refused attempts from flooding the audit log.
  router.get('/exports/:id', rateLimit(kernel, { name: 'rights-exports', max: 30, windowMs: 60_000, key: ipKey }), asyncRoute(async (req, res) => {
    const id = idParam(req.params.id);
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    if (!TOKEN.test(token)) throw new SuiteError('SUITE_LINK_INVALID');
    const brand = req.brand!;
    const row = (await kernel.db('rights_exports').where({ id, brand_id: brand.id }).first()) as ExportRow | undefined;
    // An unknown export answers exactly like a wrong token.
    if (!row || !tokenMatches(token, row.token_hash)) {
      await kernel.audit.record({ brandId: brand.id, actor: LINK_ACTOR, action: 'rights.export.link-refused', targetType: 'rights_export', targetId: id, details: { reason: 'token' }, ip: req.ip });
      throw new SuiteError('SUITE_LINK_INVALID');
    }
    const now = Date.now();
    if (row.state !== 'ready' || row.downloaded_at !== null || Number(row.expires_at) <= now || !row.key_enc) throw new SuiteError('SUITE_RIGHTS_EXPORT_GONE');
    const key = Buffer.from(await kernel.keyring.decrypt(row.key_enc), 'base64');
    const claimed = await kernel.db.transaction(async (trx) => {
      const n = await trx('rights_exports').where({ id, state: 'ready' }).whereNull('downloaded_at').andWhere('expires_at', '>', now).update({ state: 'downloaded', downloaded_at: now, key_enc: null });
      if (n !== 1) return false;
      await addEvent(kernel, trx, { id: Number(row.request_id), brand_id: Number(row.brand_id) }, 'export-downloaded', LINK_ACTOR, { exportId: id, bytes: Number(row.bytes) }, req.ip);
      return true;
    });
    if (!claimed) throw new SuiteError('SUITE_RIGHTS_EXPORT_GONE');
    // Opened, then unlinked at once: the bytes stay readable through the open handle, and no copy outlives the download.
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(exportPath(kernel, row.file), 'r');
    } catch {
      key.fill(0);
      throw new SuiteError('SUITE_RIGHTS_EXPORT_GONE');
    } finally {
      await removeExportFile(kernel, row.file);
    }
    res.status(200).set({
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="data-export-${id}.zip"`,
      'Content-Length': String(row.bytes),
      'Cache-Control': 'no-store',
    });
    try {
      await pipeline(handle.createReadStream(), decryptStream(key), res);
    } catch (err) {
      // Headers may be out: the connection is cut, so the person sees a failed download rather than a broken zip.
      kernel.log.warn({ exportId: id, error: (err as Error).message }, 'export download failed mid-stream');
      res.destroy();
    } finally {
      key.fill(0);
      await handle.close().catch(() => undefined);
    }
  }));
}
