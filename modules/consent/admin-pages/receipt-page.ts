/**
 * One consent receipt, `…/consent/ledger/receipts/:receiptId`: the signed receipt as the person gets it (the client
 * route /b/:brand/consent/receipts/:id), whether its signature verifies and whether the ledger record behind it is
 * unchanged. Another brand's receipt answers like a missing one (404). IP address and user agent only with `usage`
 * (ESM-3, audited).
 */
import type { Router } from 'express';
import { SuiteError } from '../../../core/errors';
import { sendAdminPage, viewPersonalData } from '../../../core/http/admin-kit';
import { asyncRoute } from '../../../core/http/respond';
import { t } from '../../../core/i18n';
import type { Kernel } from '../../../core/kernel';
import { pageLocale } from '../../../core/pages';
import { findReceipt } from '../ledger/consent-ledger';
import { consentBase } from './ledger-page';
import { checkReceipt } from './receipt-check';

const RECEIPT_ID = /^rcpt_[0-9a-f]{32}$/;

/** Mounts GET /ledger/receipts/:receiptId. */
export function receiptPage(router: Router, kernel: Kernel): void {
  router.get('/ledger/receipts/:receiptId', asyncRoute(async (req, res) => {
    const brand = req.brand!;
    const locale = pageLocale(req, 'en');
    const id = req.params.receiptId;
    const record = RECEIPT_ID.test(id) ? await findReceipt(kernel.db, id) : undefined;
    if (!record || record.brandId !== brand.id) throw new SuiteError('SUITE_NOT_FOUND', { what: 'receipt', id: id.slice(0, 60) });
    const personal = await viewPersonalData(kernel, req, { brand, categories: ['usage'], targetType: 'consent_receipt', targetId: record.receiptId, page: 'consent.receipt' });
    let usage: { ip: string | null; userAgent: string | null } | null = null;
    if (personal.may('usage')) {
      const row = (await kernel.db('consent_ledger').where({ receipt_id: record.receiptId }).first('ip_enc', 'ua_enc')) as { ip_enc: string | null; ua_enc: string | null };
      const decrypt = async (c: string | null) => (c ? kernel.keyring.decrypt(c) : null);
      usage = { ip: await decrypt(row.ip_enc), userAgent: await decrypt(row.ua_enc) };
    }
    const check = await checkReceipt(kernel, brand, record);
    const base = consentBase(brand.slug);
    await sendAdminPage(kernel, req, res, 200, {
      page: 'admin/consent/receipt', title: t(locale, 'consent.admin.receipt.title', { id: record.receiptId }), brand,
      view: {
        base, record, actionLabel: t(locale, `consent.admin.ledger.actions.${record.action}`), check, usage, usageWithheld: !personal.may('usage'),
        subjectHref: record.subjectId === null ? null : `${base}/ledger?subject=${record.subjectId}`,
        json: JSON.stringify(check.receipt, null, 2),
      },
    });
  }));
}
