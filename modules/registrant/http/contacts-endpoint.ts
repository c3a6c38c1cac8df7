/**
 * POST /api/v1/registrant/contacts (a contract: README, "Registrant data"): the WHMCS registrar wrapper sends `{brand, params}` signed like the hook
 * API and gets the contacts to pass to the real registrar module (roles per TLD, privacy and consent applied); the
 * transfer is logged. A customer whose processing is restricted (SP-5.1): 409 SUITE_SUBJECT_RESTRICTED. Invalid data: 400 SUITE_VALIDATION_FAILED naming the params; a brand that registers no
 * registrar: 422; nothing written either way. A contact set that is the brand's privacy (proxy) contact is not stored over
 * the customer's real data; `ignored` names it ('Registrant', 'Admin').
 */
import type { Router } from 'express';
import { z } from 'zod';
import { asyncRoute } from '../../../core/http/respond';
import { requireSignedBody } from '../../../core/http/signed-request';
import type { Kernel } from '../../../core/kernel';
import { RegistrarParams } from '../../../hooks/catalogue/domain-hooks';
import { SuiteError } from '../../../core/errors';
import { restrictedOwner } from '../actions/pre-registrar';
import { prepareDomain } from '../flows/prepare-domain';
import { signedRegistrantRequest } from './signed-request-context';

const Body = z.object({ brand: z.string().min(1), params: RegistrarParams, status: z.enum(['registering', 'transferring', 'registered']).optional() });

/** Mounts the endpoint on the module's root router. */
export function contactsEndpoint(router: Router, kernel: Kernel): void {
  router.post('/api/v1/registrant/contacts', ...requireSignedBody(kernel, 'registrant.contacts'), asyncRoute(async (req, res) => {
    const { brand, body, profile, settings } = await signedRegistrantRequest(kernel, req, Body);
    const r = await kernel.db.transaction(async (trx) => {
      // SP-5.1: a restricted customer's contacts are handed to no registrar (409, nothing written).
      const restricted = await restrictedOwner({ kernel, trx, brand, log: kernel.log }, body.params as Record<string, unknown>);
      if (restricted !== null) throw new SuiteError('SUITE_SUBJECT_RESTRICTED', { subject: restricted, purpose: 'domain-registration' });
      return prepareDomain({
        kernel, trx, brand, profile, settings, params: body.params as Record<string, unknown>, status: body.status ?? 'registering', disclose: true, actor: 'registrar-wrapper',
      });
    });
    const a = r.assembled;
    res.json({ ok: true, domain: a.domain, roles: a.roles, idProtection: a.idProtection, contacts: a.send, disclosureLogged: r.logged, ...(r.ignored.length ? { ignored: r.ignored } : {}) });
  }));
}
