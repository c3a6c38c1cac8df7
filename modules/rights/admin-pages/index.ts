/** The rights module's admin panel pages (under /admin/brands/:brand/rights/) and their sections in the brand's navigation. */
import type { Router } from 'express';
import type { AdminNavEntry } from '../../../core/modules/define-module';
import type { Kernel } from '../../../core/kernel';
import { disclosurePages } from './disclosure-pages';
import { requestPages } from './request-pages';

/** The sections linked from the brand's navigation. */
export const rightsAdminNav: AdminNavEntry[] = [
  { path: 'requests', label: 'rights.admin.nav.requests' },
  { path: 'disclosures', label: 'rights.admin.nav.disclosures' },
];

/** Mounts the pages (the panel has already checked the session, the brand and that the module is on). */
export function rightsAdminPages(router: Router, kernel: Kernel): void {
  requestPages(router, kernel);
  disclosurePages(router, kernel);
}
