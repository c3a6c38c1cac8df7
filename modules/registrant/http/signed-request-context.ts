/** What both signed registrant endpoints need first: the module on for the brand, a valid body, a registrar in the register. */
import type { Request } from 'express';
import type { z } from 'zod';
import { SuiteError, validationError, zodIssues } from '../../../core/errors';
import type { Kernel } from '../../../core/kernel';
import type { Brand } from '../../../core/brands/brand';
import type { PrivacyProfile } from '../../../core/profile/schema';
import type { RegistrantSettings } from '../settings';
import { requireRegistrarTransfer } from './registrar-guard';

/** Checks a signed request and resolves brand, body, profile and settings (outside any transaction). */
export async function signedRegistrantRequest<S extends z.ZodTypeAny>(kernel: Kernel, req: Request, schema: S): Promise<{ brand: Brand; body: z.infer<S>; profile: PrivacyProfile; settings: RegistrantSettings }> {
  const brand = req.brand!;
  if (!(await kernel.modules.enabledFor(kernel.brands, brand, 'registrant'))) throw new SuiteError('SUITE_MODULE_DISABLED', { module: 'registrant', brand: brand.slug });
  const parsed = schema.safeParse(req.signedBody);
  if (!parsed.success) throw validationError(zodIssues(parsed.error.issues));
  const profile = await kernel.brands.profile(brand);
  requireRegistrarTransfer(profile);
  const settings = await kernel.settings<RegistrantSettings>('registrant', brand);
  await kernel.keyring.activeKeyId();
  return { brand, body: parsed.data, profile, settings };
}
