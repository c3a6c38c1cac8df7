/** PreRegistrarRegisterDomain / PreRegistrarTransferDomain: validate and build the contacts; abort with the fields at fault. */
import { SuiteError } from '../../../core/errors';
import { onHook, type HookHandlerContext } from '../../../core/modules/define-module';
import { prepareDomain } from '../flows/prepare-domain';
import type { RegistrantSettings } from '../settings';
import { servingRegistrar } from '../transfer/registrar-lookup';
import { registrarTransferRegistered } from '../transfer/registrar-transfer';

type PreHook = 'PreRegistrarRegisterDomain' | 'PreRegistrarTransferDomain';

/** The WHMCS abort message for a validation failure: every field named, in the caller's language. */
export function invalidMessage(t: (key: string, p?: Record<string, string | number>) => string, err: SuiteError): string {
  return t('registrant.invalidContacts', { fields: (err.fields ?? []).map((f) => `${f.field} (${f.message})`).join('; ') });
}

function handler<H extends PreHook>(status: string) {
  return async (ctx: HookHandlerContext<H, RegistrantSettings>) => {
    if (!registrarTransferRegistered(ctx.profile)) {
      ctx.log.warn({ brandId: ctx.brand.id }, 'registrant contacts not handled: the brand registers no transfer to a registrar for domain-registration');
      return;
    }
    try {
      const r = await prepareDomain({
        kernel: ctx.kernel, trx: ctx.trx, brand: ctx.brand, profile: ctx.profile, settings: ctx.settings, params: ctx.vars.params as Record<string, unknown>,
        status, disclose: true, actor: `hook:${ctx.hook}`, viaOutbox: Boolean(await servingRegistrar(ctx.kernel, ctx.brand)),
      });
      return { data: { registrant: { domain: r.assembled.domain, roles: r.assembled.roles, idProtection: r.assembled.idProtection } } };
    } catch (err) {
      if (err instanceof SuiteError && err.code === 'SUITE_VALIDATION_FAILED') return { abortWithError: invalidMessage(ctx.t, err) };
      throw err;
    }
  };
}

export const checkRegistrationContacts = onHook<'PreRegistrarRegisterDomain', RegistrantSettings>('PreRegistrarRegisterDomain', handler('registering'));
export const checkTransferContacts = onHook<'PreRegistrarTransferDomain', RegistrantSettings>('PreRegistrarTransferDomain', handler('transferring'));
