/**
 * Admin routes of rules, under /api/v1/admin/brands/:brand/modules/retention/: the effective rules with their ids and
 * approval state, approving one (write role, audited), and the preset table for a country to copy into the profile.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { assertCanWrite } from '../../../core/apikeys/api-keys';
import { actorOf } from '../../../core/http/admin-auth';
import { asyncRoute } from '../../../core/http/respond';
import { resolveLocale } from '../../../core/i18n';
import { parseInput } from '../../../core/http/route-input';
import type { Kernel } from '../../../core/kernel';
import type { RetentionService } from '../retention-service';
import { effectiveRules } from '../rules/effective-rules';
import { presetRules, statutoryPeriods } from '../rules/presets';
import { PrivacyProfile } from '../../../core/profile/schema';

/** The body of POST …/rules/:id/approve: optionally the dry run the admin looked at. */
export const ApproveInput = z.object({ dryRunId: z.number().int().positive().optional() }).strict();

/** The query of GET …/presets. */
export const PresetQuery = z.object({ country: z.string().regex(/^[A-Za-z]{2}$/, 'ISO 3166-1 alpha-2, e.g. "DE"').transform((c) => c.toUpperCase()).optional() });

/** Mounts the rule routes. */
export function ruleRoutes(router: Router, kernel: Kernel): void {
  const svc = (): RetentionService => kernel.service<RetentionService>('retention');
  router.get('/rules', asyncRoute(async (req, res) => {
    res.json({ ok: true, rules: await svc().rules(req.brand!, resolveLocale(req.header('accept-language'))) });
  }));
  router.post('/rules/:ruleId/approve', asyncRoute(async (req, res) => {
    assertCanWrite(req.principal!);
    const input = parseInput(ApproveInput, req.body ?? {});
    res.json({ ok: true, rule: await svc().approve(req.brand!, req.params.ruleId, input, actorOf(req), req.ip) });
  }));
  router.get('/presets', asyncRoute(async (req, res) => {
    const q = parseInput(PresetQuery, req.query);
    const country = q.country ?? (await kernel.brands.profile(req.brand!)).controller?.country?.toUpperCase() ?? null;
    // Parsed like a profile's table, so what is shown is exactly what the profile would store.
    const profile = PrivacyProfile.parse({ retention: presetRules(country) });
    res.json({ ok: true, country, statutory: statutoryPeriods(country), retention: profile.retention, ids: effectiveRules(profile).map((r) => r.id) });
  }));
}
