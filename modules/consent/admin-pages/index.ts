/** The consent module's admin panel pages (under /admin/brands/:brand/consent/) and their sections in the brand's navigation. */
import type { Router } from 'express';
import type { AdminNavEntry } from '../../../core/modules/define-module';
import type { Kernel } from '../../../core/kernel';

/** The sections linked from the brand's navigation. */
export const consentAdminNav: AdminNavEntry[] = [
  { path: 'ledger', label: 'consent.admin.nav.ledger' },
  { path: 'documents', label: 'consent.admin.nav.documents' },
];

/** Mounts the pages (the panel has already checked the session, the brand and that the module is on). */
export function consentAdminPages(router: Router, kernel: Kernel): void {
  void router; void kernel; // TODO(issue 14): pages
}
