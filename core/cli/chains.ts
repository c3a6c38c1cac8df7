/** The hash-chained logs `ledger verify` checks. A module that adds a chain (e.g. consent_ledger) adds it here. */
import type { HashChain } from '../chain/hash-chain';
import { auditChain } from '../audit/audit-log';
import { disclosureChain } from '../registers/disclosure-log';

/** Every known chain, by table name; chains whose table does not exist (module not installed) are skipped. */
export const CHAINS: HashChain[] = [auditChain, disclosureChain];

/** The chain names `--chain` accepts. */
export function chainNames(): string[] {
  return CHAINS.map((c) => c.table);
}
