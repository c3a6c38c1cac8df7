/**
 * Export files and their rows (rights_exports): where the encrypted file lives, the one-time download token (only its
 * sha256 is stored, compared in constant time) and the life of an export: building → ready → downloaded, or failed,
 * expired, revoked. Whenever an export leaves 'ready' for good its wrapped file key is cleared, so the file is
 * unreadable even if a copy of it survives, and the file is deleted.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Kernel } from '../../../core/kernel';

/** A row of rights_exports. */
export interface ExportRow {
  id: number; request_id: number; brand_id: number; file: string; bytes: number | null; sha256: string | null; token_hash: string;
  state: ExportState; expires_at: number; downloaded_at: number | null; created_at: number; key_enc: string | null;
}

/** The states of an export. */
export type ExportState = 'building' | 'ready' | 'downloaded' | 'failed' | 'expired' | 'revoked';

/** The folder export files are written to. */
export function exportDir(kernel: Kernel): string {
  return path.join(kernel.config.dataDir, 'exports');
}

/** The absolute path of an export's file (the row holds only a random file name). */
export function exportPath(kernel: Kernel, file: string): string {
  if (!/^[a-f0-9]{32}\.zip\.enc$/.test(file)) throw new Error('export file name is not one the suite wrote');
  return path.join(exportDir(kernel), file);
}

/** A new random file name. */
export function newExportFileName(): string {
  return `${crypto.randomBytes(16).toString('hex')}.zip.enc`;
}

/** A new download token: 32 random bytes, base64url. */
export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** The stored form of a token. */
export function tokenHash(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether `token` is the one whose hash is stored (constant time). */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(tokenHash(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** The relative download path of an export (the token is part of it). */
export function downloadPath(brandSlug: string, id: number, token: string): string {
  return `/b/${encodeURIComponent(brandSlug)}/rights/exports/${id}?token=${encodeURIComponent(token)}`;
}

/** Deletes an export file; a missing file is fine. */
export async function removeExportFile(kernel: Kernel, file: string): Promise<void> {
  await fs.promises.rm(exportPath(kernel, file), { force: true });
}

/** Ends exports of the given ids for good (state `to`, key cleared) and deletes their files; returns how many changed. */
export async function retireExports(kernel: Kernel, rows: Pick<ExportRow, 'id' | 'file'>[], to: 'failed' | 'expired' | 'revoked'): Promise<number> {
  if (!rows.length) return 0;
  const n = await kernel.db('rights_exports').whereIn('id', rows.map((r) => r.id)).whereIn('state', ['building', 'ready']).update({ state: to, key_enc: null });
  for (const r of rows) await removeExportFile(kernel, r.file);
  return n;
}

/**
 * Crypto-shreds the exports of the given requests inside `trx` (for erasure): their keys are cleared and they are marked
 * revoked, so any file left behind can no longer be read; the purge job deletes the files.
 */
export async function revokeExportsOf(trx: Knex.Transaction, requestIds: number[]): Promise<number> {
  if (!requestIds.length) return 0;
  return trx('rights_exports').whereIn('request_id', requestIds).whereIn('state', ['building', 'ready']).update({ state: 'revoked', key_enc: null });
}
