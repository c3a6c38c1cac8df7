/** Domain and registrar hooks; `params` carries WHMCS's registrar module parameters. */
import { z } from 'zod';
import { hookSpec } from './hook-spec';
import { wInt, wStr } from './whmcs-types';

/** The registrar module parameters WHMCS passes (see spec/whmcs/registrar-params.json); the domain is required. */
export const RegistrarParams = z.object({
  domainid: wInt.optional(),
  userid: wInt.optional(),
  sld: wStr,
  tld: wStr,
  regperiod: wInt.optional(),
}).passthrough();

const paramsVars = z.object({ params: RegistrarParams });

export const domainHooks = {
  PreRegistrarRegisterDomain: hookSpec({ kind: 'pre', answer: 'abort', group: 'domain', description: 'A domain is about to be registered; may abort with success or error.', vars: paramsVars }),
  PreRegistrarTransferDomain: hookSpec({ kind: 'pre', answer: 'abort', group: 'domain', description: 'A domain transfer is about to be requested; may abort with success or error.', vars: paramsVars }),
  AfterRegistrarRegistration: hookSpec({ kind: 'after', answer: 'none', group: 'registrar-module', description: 'A domain was registered at the registrar.', vars: paramsVars }),
  AfterRegistrarRenewal: hookSpec({ kind: 'after', answer: 'none', group: 'registrar-module', description: 'A domain was renewed at the registrar.', vars: paramsVars }),
  AfterRegistrarTransfer: hookSpec({ kind: 'after', answer: 'none', group: 'registrar-module', description: 'A domain transfer was requested at the registrar.', vars: paramsVars }),
};
