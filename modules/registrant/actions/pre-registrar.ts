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
  return t('registrant.invalidContacts', { fields: (err.fields ?? []).map((f) => `${f.field} (${f.key ? t(f.key, f.params) : f.message})`).join('; ') });
}

/** The subject id of the params' client when their processing is restricted (logged by id); null otherwise. */
export async function restrictedOwner(ctx: Pick<HookHandlerContext, 'kernel' | 'trx' | 'log' | 'brand'>, params: Record<string, unknown>): Promise<number | null> {
  const userid = params.userid;
  if (userid === undefined || userid === null || userid === '') return null;
  const s = await ctx.kernel.subjects.findByExternal(ctx.brand.id, 'client', String(userid), ctx.trx);
  if (!s || (await ctx.kernel.subjects.processingAllowed(s.id, 'domain-registration', ctx.trx))) return null;
  ctx.log.info({ subjectId: s.id }, 'registrant contacts not sent to the registrar: processing of the subject is restricted');
  return s.id;
}

function handler<H extends PreHook>(status: string) {
  return async (ctx: HookHandlerContext<H, RegistrantSettings>) => {
    if (!registrarTransferRegistered(ctx.profile)) {
      ctx.log.warn({ brandId: ctx.brand.id }, 'registrant contacts not handled: the brand registers no transfer to a registrar for domain-registration');
      return;
    }
    // SP-5.1: a restricted customer's contacts go to no registrar; the registration is refused with the reason.
    const restricted = await restrictedOwner(ctx, ctx.vars.params as Record<string, unknown>);
    if (restricted !== null) return { abortWithError: ctx.t('registrant.processingRestricted'), data: { registrant: { skipped: 'restricted', subjectId: restricted } } };
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
