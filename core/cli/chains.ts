/** The hash-chained logs `ledger verify` checks: the kernel's, plus those the installed modules declare. */
import type { HashChain } from '../chain/hash-chain';
import { auditChain } from '../audit/audit-log';
import { disclosureChain } from '../registers/disclosure-log';
import { ModuleRegistry } from '../modules/registry';
import { installedModules } from './context';

/** Every known chain; chains whose table does not exist (module not migrated) are skipped by the command. */
export function allChains(): HashChain[] {
  const registry = new ModuleRegistry();
  registry.load(installedModules());
  return [auditChain, disclosureChain, ...registry.list().flatMap((m) => m.chains ?? [])];
}

/** The chain names `--chain` accepts. */
export function chainNames(): string[] {
  return allChains().map((c) => c.table);
}
