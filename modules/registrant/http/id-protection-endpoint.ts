/**
 * POST /api/v1/registrant/id-protection: the WHMCS registrar wrapper's IDProtectToggle, `{brand, params}` signed like
 * /api/v1/registrant/contacts, `params.protectenable` the new state. A brand served by a suite registrar module gets
 * the contacts queued for it (outbox); otherwise the answer carries the contacts for the wrapper to pass on (logged).
 */
import type { Router } from 'express';
import { z } from 'zod';
import { asyncRoute } from '../../../core/http/respond';
import { requireSignedBody } from '../../../core/http/signed-request';
import type { Kernel } from '../../../core/kernel';
import { RegistrarParams } from '../../../hooks/catalogue/domain-hooks';
import { wBool } from '../../../hooks/catalogue/whmcs-types';
import { domainOf } from '../contacts/assemble';
import { prepareDomain } from '../flows/prepare-domain';
import { updateDomain } from '../flows/update-domain';
import { contactParams, findDomain, storedParams } from '../store/domain-store';
import { servingRegistrar } from '../transfer/registrar-lookup';
import { signedRegistrantRequest } from './signed-request-context';

const Body = z.object({ brand: z.string().min(1), params: RegistrarParams.extend({ protectenable: wBool }) });

/** Mounts the endpoint on the module's root router. */
export function idProtectionEndpoint(router: Router, kernel: Kernel): void {
  router.post('/api/v1/registrant/id-protection', ...requireSignedBody(kernel, 'registrant.id-protection'), asyncRoute(async (req, res) => {
    const { brand, body, profile, settings } = await signedRegistrantRequest(kernel, req, Body);
    const enabled = body.params.protectenable;
    const served = Boolean(await servingRegistrar(kernel, brand));
    const answer = await kernel.db.transaction(async (trx) => {
      const incoming = body.params as Record<string, unknown>;
      const row = await findDomain(trx, brand.id, domainOf(incoming));
      const params = { ...(row ? await storedParams(kernel, trx, row.id) : {}), ...contactParams(incoming), idprotection: enabled };
      if (served && row) {
        const outboxId = await updateDomain({ kernel, trx, profile, settings, row, params, idProtect: enabled });
        return { domain: row.domain, idProtection: enabled, queued: outboxId !== null };
      }
      const r = await prepareDomain({ kernel, trx, brand, profile, settings, params, status: row?.status ?? 'registered', disclose: true, actor: 'registrar-wrapper', viaOutbox: served });
      const a = r.assembled;
      return served ? { domain: a.domain, idProtection: a.idProtection, queued: r.logged } : { domain: a.domain, idProtection: a.idProtection, roles: a.roles, contacts: a.send, disclosureLogged: r.logged };
    });
    res.json({ ok: true, ...answer });
  }));
}
