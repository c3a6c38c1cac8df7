/**
 * Where a deposit goes: the agent's SFTP server or a directory. Every file is written under a temporary name and then
 * renamed, so a half-written file is never seen under its final name; a file already there at its full size is
 * skipped, so a redelivery after a broken connection sends only what is missing.
 */

/** A delivery target, open for one delivery. */
export interface DeliveryTarget {
  /** The size of `name` at the target, or null when it is not there. */
  size(name: string): Promise<number | null>;
  /** Writes `local` as `name` (temporary name first, then renamed over any incomplete file). */
  put(local: string, name: string): Promise<void>;
  close(): Promise<void>;
}

/** The temporary name a file is uploaded under. */
export const tempName = (name: string): string => `${name}.part`;
