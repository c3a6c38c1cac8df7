/** The consent module's admin panel pages (under /admin/brands/:brand/consent/) and their sections in the brand's navigation. */
import type { Router } from 'express';
import type { AdminNavEntry } from '../../../core/modules/define-module';
import type { Kernel } from '../../../core/kernel';
import { documentsPage } from './documents-page';
import { ledgerPage } from './ledger-page';
import { receiptPage } from './receipt-page';

/** The sections linked from the brand's navigation. */
export const consentAdminNav: AdminNavEntry[] = [
  { path: 'ledger', label: 'consent.admin.nav.ledger' },
  { path: 'documents', label: 'consent.admin.nav.documents' },
];

/** Mounts the pages (the panel has already checked the session, the brand and that the module is on). */
export function consentAdminPages(router: Router, kernel: Kernel): void {
  ledgerPage(router, kernel); // the ledger: search by subject, its events, verify the chain
  receiptPage(router, kernel); // one signed receipt and whether it verifies
  documentsPage(router, kernel); // policy documents and their versions; publish the generated policy
}
