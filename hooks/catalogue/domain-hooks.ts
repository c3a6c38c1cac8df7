/** Domain and registrar hooks; `params` carries WHMCS's registrar module parameters. */
import { z } from 'zod';
import { whmcsHook } from './hook-spec';
import { wArray, wBool, wInt, wStr } from './whmcs-types';

/** The registrar module parameters WHMCS passes (see spec/whmcs/registrar-params.json); the domain is required. */
export const RegistrarParams = z.object({
  domainid: wInt.optional(),
  userid: wInt.optional(),
  sld: wStr,
  tld: wStr,
  regperiod: wInt.optional(),
}).passthrough();

const paramsVars = { params: RegistrarParams };
/** What WHMCS passes after a registrar function ran: its parameters and the module's result. */
const resultVars = { params: RegistrarParams, results: wArray.optional(), functionExists: wBool.optional(), functionSuccessful: wBool.optional() };

export const domainHooks = {
  PreRegistrarRegisterDomain: whmcsHook({ kind: 'pre', answer: 'abort', group: 'domain', description: 'A domain is about to be registered; may abort with success or error.', whmcs: paramsVars }),
  PreRegistrarTransferDomain: whmcsHook({ kind: 'pre', answer: 'abort', group: 'domain', description: 'A domain transfer is about to be requested; may abort with success or error.', whmcs: paramsVars }),
  AfterRegistrarRegistration: whmcsHook({ kind: 'after', answer: 'none', group: 'registrar-module', description: 'A domain was registered at the registrar.', whmcs: paramsVars }),
  AfterRegistrarRenewal: whmcsHook({ kind: 'after', answer: 'none', group: 'registrar-module', description: 'A domain was renewed at the registrar.', whmcs: paramsVars }),
  AfterRegistrarTransfer: whmcsHook({ kind: 'after', answer: 'none', group: 'registrar-module', description: 'A domain transfer was requested at the registrar.', whmcs: resultVars }),
  AfterRegistrarSaveContactDetails: whmcsHook({
    kind: 'after', answer: 'none', group: 'registrar-module',
    description: 'A domain\'s contacts were saved at the registrar: the contact data handed to the registrar is recorded as a disclosure.',
    whmcs: resultVars,
  }),
};
