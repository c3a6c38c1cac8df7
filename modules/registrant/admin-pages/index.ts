/** The registrant module's admin panel pages (under /admin/brands/:brand/registrant/) and their sections in the brand's navigation. */
import type { Router } from 'express';
import type { AdminNavEntry } from '../../../core/modules/define-module';
import type { Kernel } from '../../../core/kernel';

/** The sections linked from the brand's navigation. */
export const registrantAdminNav: AdminNavEntry[] = [
  { path: 'reveal-requests', label: 'registrant.admin.nav.reveals' },
];

/** Mounts the pages (the panel has already checked the session, the brand and that the module is on). */
export function registrantAdminPages(router: Router, kernel: Kernel): void {
  void router; void kernel; // TODO(issue 14): pages
}
