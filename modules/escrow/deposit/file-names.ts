/**
 * File names as ICANN's registrar data escrow specification sets them: `<iana-id>_RDE_<yyyy-mm-dd>_<full|inc>_S<n>_R<rev>`
 * for the domain data (S: the part's sequence number from 1, R: the revision of that day's deposit from 0), `_HDL_` in
 * place of `_RDE_` for the 2007 handle file, and one hash file per deposit, `<iana-id>_RDE_<yyyy-mm-dd>_<full|inc>_R<rev>.sha256`.
 * Every file is encrypted and signed: `.gpg` follows the plain name.
 */

export type DepositKind = 'full' | 'inc';
export type FileRole = 'RDE' | 'HDL';

/** The parts of a deposit's names. */
export interface NameBase { ianaId: number; date: string; kind: DepositKind; revision: number }

/** A data part's plain name: `1234_RDE_2026-12-06_full_S1_R0.csv`. */
export function partName(b: NameBase, role: FileRole, seq: number): string {
  return `${b.ianaId}_${role}_${b.date}_${b.kind}_S${seq}_R${b.revision}.csv`;
}

/** The hash file's plain name: `1234_RDE_2026-12-06_full_R0.sha256`. */
export function hashName(b: NameBase): string {
  return `${b.ianaId}_RDE_${b.date}_${b.kind}_R${b.revision}.sha256`;
}

/** The name a file is delivered under (encrypted and signed). */
export const encryptedName = (plain: string): string => `${plain}.gpg`;

/** The UTC date of a time, yyyy-mm-dd. */
export const utcDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
