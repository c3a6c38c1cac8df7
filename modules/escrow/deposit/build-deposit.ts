/**
 * Builds one brand's deposit (WSM-16b): full or incremental, read in keyset pages from the register and streamed as
 * CSV rows into encrypted, signed parts in the staging directory, then the hash file; then, in one transaction, the
 * row is marked queued, the delivery is put in the outbox and the disclosure to the escrow agent is logged. Anything
 * that fails after the row was started marks it failed and removes its staging directory.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Actor } from '../../../core/audit/audit-log';
import type { Brand } from '../../../core/brands/brand';
import type { Kernel } from '../../../core/kernel';
import { moduleSettings } from '../../../core/profile/module-settings';
import { recordDisclosure } from '../../../core/registers/disclosure-log';
import { escrowDomainCount, escrowDomainPage } from '../../registrant/public';
import { EscrowSettings, PAGE_SIZE, WEEKDAYS } from '../settings';
import { checkDepositConfig } from './check-config';
import { csv2024Row, CSV_2024_HEADER, csvRecord, depositFields, domain2007Row, DOMAIN_2007_HEADER, handle2007Rows, HANDLE_2007_HEADER } from './csv-formats';
import { failDeposit, lastBuilt, startDeposit } from './deposit-store';
import { hashName, partName, utcDate, type DepositKind, type NameBase } from './file-names';
import { PartSeries, writeEncrypted, type DepositFile } from './part-series';
import { loadDepositKeys } from './pgp-keys';

/** The outbox topic of a deposit's delivery. */
export const DELIVER_TOPIC = 'escrow.deliver';

/** Progress after each page: domains written of those selected. */
export interface DepositProgress { brand: string; kind: DepositKind; done: number; total: number }

/** What a built deposit reports. */
export interface DepositReport { brand: string; depositId: number; kind: DepositKind; format: string; revision: number; domains: number; handles: number; files: string[]; outboxId: number; state: 'queued' }

/** Options of one deposit. */
export interface BuildOptions { full?: boolean; now?: number; signal?: AbortSignal; actor?: Actor; onProgress?: (p: DepositProgress) => void }

/** Builds, stages and queues one deposit for `brand`. Throws SUITE_VALIDATION_FAILED (nothing written) for a bad setting. */
export async function buildDeposit(kernel: Kernel, brand: Brand, opts: BuildOptions = {}): Promise<DepositReport> {
  const profile = await kernel.brands.profile(brand);
  const s = checkDepositConfig(moduleSettings(EscrowSettings, profile, 'escrow'), profile);
  const keys = await loadDepositKeys(s);
  const now = opts.now ?? Date.now();
  const prev = await lastBuilt(kernel.db, brand.id);
  const full = Boolean(opts.full) || !prev || WEEKDAYS[new Date(now).getUTCDay()] === s.fullDay;
  const kind: DepositKind = full ? 'full' : 'inc';
  const since = full ? null : prev!.watermark - s.overlapSeconds * 1000;
  const stagingRoot = s.stagingDir ?? path.join(kernel.config.dataDir, 'escrow');
  const row = await startDeposit(kernel.db, { brandId: brand.id, ianaId: s.ianaId, kind, format: s.format, date: utcDate(now), watermark: now, since, stagingRoot });
  const dir = path.join(stagingRoot, brand.slug, String(row.id));
  const base: NameBase = { ianaId: s.ianaId, date: row.date, kind, revision: row.revision };
  const series: PartSeries[] = [];
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const mk = (header: string[], role: 'RDE' | 'HDL'): PartSeries => {
      const p = new PartSeries({ dir, header: csvRecord(header), partBytes: s.partBytes, keys, name: (seq) => partName(base, role, seq) });
      series.push(p);
      return p;
    };
    const domains = mk(s.format === 'csv-2024' ? CSV_2024_HEADER : DOMAIN_2007_HEADER, 'RDE');
    const handles = s.format === 'full-handle-2007' ? mk(HANDLE_2007_HEADER, 'HDL') : null;
    const total = await escrowDomainCount(kernel, brand.id, since);
    let done = 0;
    let handleCount = 0;
    opts.onProgress?.({ brand: brand.slug, kind, done, total });
    for (let afterDomain = ''; ;) {
      if (opts.signal?.aborted) throw new Error('deposit stopped by a signal');
      const page = await escrowDomainPage(kernel, { brandId: brand.id, afterDomain, limit: PAGE_SIZE, since });
      if (!page.length) break;
      for (const d of page) {
        if (handles) {
          await domains.row(domain2007Row(d));
          for (const h of handle2007Rows(d)) {
            await handles.row(h);
            handleCount += 1;
          }
        } else await domains.row(csv2024Row(d, s.ianaId));
      }
      afterDomain = page[page.length - 1].domain;
      done += page.length;
      opts.onProgress?.({ brand: brand.slug, kind, done, total: Math.max(total, done) });
    }
    const parts: DepositFile[] = [];
    for (const p of series) parts.push(...(await p.close()));
    const hashText = parts.map((f) => `${f.sha256}  ${f.plainName}\n`).join('');
    const files = [...parts, await writeEncrypted(dir, hashName(base), hashText, keys)];
    const outboxId = await kernel.db.transaction(async (trx) => {
      const { id } = await kernel.outbox.enqueue(trx, profile, { brandId: brand.id, topic: DELIVER_TOPIC, payload: { depositId: row.id }, recipient: s.recipient, purpose: s.purpose, subjectId: null, idempotencyKey: `escrow-deposit-${row.id}` });
      await recordDisclosure(trx, profile, {
        brandId: brand.id, subjectId: null, recipient: s.recipient, purpose: s.purpose, categories: ['contact', 'registration'], fields: depositFields(s.format),
        reference: `escrow-deposit:${row.id};${kind};domains=${done}`, actor: opts.actor ? `${opts.actor.type}:${opts.actor.id}` : 'system',
      });
      await trx('escrow_deposits').where({ id: row.id }).update({ state: 'queued', files: JSON.stringify(files), domains: done, handles: handleCount, staging_dir: dir, outbox_id: id });
      return id;
    });
    return { brand: brand.slug, depositId: row.id, kind, format: s.format, revision: row.revision, domains: done, handles: handleCount, files: files.map((f) => f.name), outboxId, state: 'queued' };
  } catch (err) {
    for (const p of series) p.abort();
    await failDeposit(kernel.db, row.id, (err as { code?: string }).code ?? (err as Error).message);
    await fs.rm(dir, { recursive: true, force: true });
    throw err;
  }
}
