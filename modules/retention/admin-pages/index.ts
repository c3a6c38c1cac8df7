/** The retention module's admin panel pages (under /admin/brands/:brand/retention/) and their sections in the brand's navigation. */
import type { Router } from 'express';
import type { AdminNavEntry } from '../../../core/modules/define-module';
import type { Kernel } from '../../../core/kernel';
import { holdPages } from './holds-page';
import { rulePages } from './rules-page';
import { runPages } from './runs-page';

/** The sections linked from the brand's navigation. */
export const retentionAdminNav: AdminNavEntry[] = [
  { path: 'rules', label: 'retention.admin.nav.rules' },
  { path: 'holds', label: 'retention.admin.nav.holds' },
  { path: 'runs', label: 'retention.admin.nav.runs' },
];

/** Mounts the pages (the panel has already checked the session, the brand and that the module is on). */
export function retentionAdminPages(router: Router, kernel: Kernel): void {
  rulePages(router, kernel);
  holdPages(router, kernel);
  runPages(router, kernel);
}
