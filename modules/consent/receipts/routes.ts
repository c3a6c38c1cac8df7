/** HTTP routes for signed receipts: the receipt of one record (signed link) and the public key that verifies it. */
import type { Router } from 'express';
import { asyncRoute } from '../../../core/http/respond';
import { SuiteError } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import { findReceipt } from '../ledger/consent-ledger';
import { verifySignedLink } from '../../../core/links/signed-link';
import { receiptKey } from './receipt-key';
import { RECEIPT_LINK_PURPOSE, signReceipt } from './signed-receipt';

/** Client: GET /receipts/:receiptId?token= (a 'receipt' link of the record's subject) and GET /receipt-key (JWK). */
export function receiptClientRoutes(router: Router, kernel: Kernel): void {
  router.get('/receipts/:receiptId', asyncRoute(async (req, res) => {
    const claims = verifySignedLink(kernel, typeof req.query.token === 'string' ? req.query.token : undefined, RECEIPT_LINK_PURPOSE);
    const brand = req.brand!;
    const receipt = claims.brandId === brand.id ? await findReceipt(kernel.db, req.params.receiptId) : undefined;
    // Another person's receipt answers exactly like a missing one.
    if (!receipt || receipt.brandId !== brand.id || receipt.subjectId !== claims.subjectId) {
      throw new SuiteError('SUITE_NOT_FOUND', { what: 'receipt', id: req.params.receiptId.slice(0, 60) });
    }
    const profile = await kernel.brands.profile(brand);
    res.set('Cache-Control', 'no-store');
    res.set('Content-Disposition', `attachment; filename="${receipt.receiptId}.json"`);
    res.json(signReceipt(kernel, brand, profile, receipt));
  }));

  router.get('/receipt-key', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600');
    res.json(receiptKey(kernel.keyring).jwk);
  });
}
