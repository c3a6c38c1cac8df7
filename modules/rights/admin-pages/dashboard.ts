/** The rights module's panels on the admin dashboard. */
import type { DashboardPanel } from '../../../core/modules/define-module';
import type { Kernel } from '../../../core/kernel';

/** Panels over the brands the user sees (`brandIds` null: every brand). */
export async function rightsDashboard(ctx: { kernel: Kernel; brandIds: number[] | null; locale: string; now: number }): Promise<DashboardPanel[]> {
  void ctx; // TODO(issue 14): panels
  return [];
}
