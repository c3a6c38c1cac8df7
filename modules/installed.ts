/**
 * The modules this installation loads, in order: the composition root. bin/privacy-suite.js hands it to the CLI, an
 * embedding platform to `Suite.create({ modules })`; core/ only receives it. Each is imported lazily so an import error
 * stays with its module.
 */
import type { ModuleSource } from '../core/modules/registry';

export const INSTALLED_MODULES: ModuleSource[] = [
  { name: 'inventory', load: () => require('./inventory').default },
  { name: 'housekeeping', load: () => require('./housekeeping').default },
  { name: 'platform', load: () => require('./platform').default },
  { name: 'mailer', load: () => require('./mailer').default },
  { name: 'consent', load: () => require('./consent').default },
  { name: 'registrant', load: () => require('./registrant').default },
  { name: 'rdap', load: () => require('./rdap').default },
  { name: 'escrow', load: () => require('./escrow').default },
  { name: 'registrars/epp', load: () => require('./registrars/epp').default },
  { name: 'whmcs', load: () => require('./whmcs').default },
  { name: 'gateways/stripe', load: () => require('./gateways/stripe').default },
  { name: 'gateways/paypal', load: () => require('./gateways/paypal').default },
  { name: 'rights', load: () => require('./rights').default },
  { name: 'retention', load: () => require('./retention').default },
];
