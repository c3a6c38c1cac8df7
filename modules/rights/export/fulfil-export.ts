/**
 * Fulfils access and portability (MS-8b / TOS-1.4): collects what every enabled module holds about the person, writes
 * the zip (data.json, one CSV per data category, index.html in the person's language, manifest.json; the first and
 * the last with what GDPR Art. 15(1) requires beside the data, export-article15.ts) encrypted at rest
 * under a per-file key wrapped by the keyring, records it in rights_exports with a one-time download token (stored
 * as a hash) and queues the link email. The dispatcher only gets here for a verified request (MS-8d / WSM-20).
 * Fulfilling again after a crash retires the earlier attempt's file and starts a new one.
 */
import fs from 'node:fs';
import { resolveLocale } from '../../../core/i18n';
import type { Fulfiller } from '../requests/fulfil-context';
import { addEvent } from '../requests/request-store';
import { collectArticle15 } from './export-article15';
import { newFileKey } from './export-crypto';
import { linkBaseUrl, queueExportEmail } from './export-email';
import type { ExportMeta } from './export-json';
import { collectSources } from './export-sources';
import { downloadPath, exportDir, exportPath, newExportFileName, newToken, retireExports, tokenHash, type ExportRow } from './export-store';
import { writeExportFile } from './export-zip';

const HOUR = 3_600_000;

/** The Fulfiller of 'access' and 'portability' requests: one export, one link, one email. */
export const fulfilAccess: Fulfiller = async (c) => {
  const { kernel, brand, profile, settings, row, actor } = c;
  const subjectId = Number(row.subject_id);
  const earlier = (await kernel.db('rights_exports').where({ request_id: row.id }).whereIn('state', ['building', 'ready']).select('id', 'file')) as Pick<ExportRow, 'id' | 'file'>[];
  await retireExports(kernel, earlier, 'revoked');

  const sources = await collectSources(kernel, brand, subjectId);
  const now = Date.now();
  const locale = resolveLocale(row.locale);
  const meta: ExportMeta = {
    generatedAt: now, locale, brand: { slug: brand.slug, name: brand.name },
    controller: (profile.controller as Record<string, unknown> | undefined) ?? null,
    request: { id: Number(row.id), type: row.type, receivedAt: Number(row.created_at) },
    article15: await collectArticle15(kernel, brand, profile, sources),
  };
  const token = newToken();
  const key = newFileKey();
  const file = newExportFileName();
  const expiresAt = now + settings.export.linkTtlHours * HOUR;
  await fs.promises.mkdir(exportDir(kernel), { recursive: true, mode: 0o700 });
  const keyEnc = await kernel.keyring.encrypt(key.toString('base64'));
  const [inserted] = await kernel.db('rights_exports').insert({
    request_id: row.id, brand_id: brand.id, file, token_hash: tokenHash(token), state: 'building', expires_at: expiresAt, key_enc: keyEnc, created_at: now,
  });
  const exportId = Number(inserted);

  let built;
  try {
    built = await writeExportFile(exportPath(kernel, file), key, meta, sources);
  } catch (err) {
    await retireExports(kernel, [{ id: exportId, file }], 'failed');
    throw err;
  } finally {
    key.fill(0);
  }

  const hasEmail = sources.fields.some((f) => f.name === 'email' && f.value.trim() !== '');
  const email = await kernel.db.transaction(async (trx) => {
    await trx('rights_exports').where({ id: exportId, state: 'building' }).update({ state: 'ready', bytes: built.bytes, sha256: built.sha256 });
    await addEvent(kernel, trx, row, 'export-ready', actor, { exportId, bytes: built.bytes, entries: built.entries.length, sets: built.counts }, c.ip);
    if (!hasEmail) return { queued: false, reason: 'no email address on record' };
    return queueExportEmail(kernel, trx, profile, brand.id, { subjectId, exportId, token, expiresAt, locale });
  });

  const perModule: Record<string, Record<string, number>> = {};
  // Per module: how many items each list of its summary holds, and how many rows each of its record sets had.
  for (const s of sources.summaries) perModule[s.module] = Object.fromEntries(Object.entries(s.data).filter(([, v]) => Array.isArray(v)).map(([k, v]) => [k, (v as unknown[]).length]));
  for (const [k, n] of Object.entries(built.counts)) {
    const [module, set] = k.split('/');
    (perModule[module] ??= {})[set] = n;
  }
  return {
    exportId, url: downloadPath(brand.slug, exportId, token), link: `${linkBaseUrl(kernel, profile)}${downloadPath(brand.slug, exportId, token)}`, expiresAt,
    bytes: built.bytes, sha256: built.sha256, entries: built.entries.length, contentBytes: built.entries.reduce((n, e) => n + e.bytes, 0),
    files: built.entries.map((e) => e.path), fields: sources.fields.length, modules: sources.modules, counts: perModule, email,
  };
};
