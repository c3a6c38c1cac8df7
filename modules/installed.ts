/** The modules this installation loads, in order. Each is imported lazily so an import error stays with its module. */
import type { ModuleSource } from './registry';

export const INSTALLED_MODULES: ModuleSource[] = [
  { name: 'inventory', load: () => require('../../modules/inventory').default },
  { name: 'housekeeping', load: () => require('../../modules/housekeeping').default },
  { name: 'platform', load: () => require('../../modules/platform').default },
  { name: 'mailer', load: () => require('../../modules/mailer').default },
  { name: 'consent', load: () => require('../../modules/consent').default },
  { name: 'registrant', load: () => require('../../modules/registrant').default },
  { name: 'rdap', load: () => require('../../modules/rdap').default },
  { name: 'registrars/epp', load: () => require('../../modules/registrars/epp').default },
  { name: 'rights', load: () => require('../../modules/rights').default },
  { name: 'retention', load: () => require('../../modules/retention').default },
];
