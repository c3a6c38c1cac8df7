/** The registrant module's admin panel pages (under /admin/brands/:brand/registrant/) and their sections in the brand's navigation. */
import type { Router } from 'express';
import type { AdminNavEntry } from '../../../core/modules/define-module';
import type { Kernel } from '../../../core/kernel';
import { revealPages } from './reveal-pages';

/** The sections linked from the brand's navigation. */
export const registrantAdminNav: AdminNavEntry[] = [
  { path: 'reveal-requests', label: 'registrant.admin.nav.reveals' },
];

/** Mounts the pages (the panel has already checked the session, the brand and that the module is on). */
export function registrantAdminPages(router: Router, kernel: Kernel): void {
  revealPages(router, kernel); // reveal requests (WSM-17): the list, one request with its evidence, the decision
}
