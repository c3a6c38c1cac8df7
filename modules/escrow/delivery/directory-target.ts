/** Delivery to a directory (a mounted share, or tests): copy to `<name>.part`, then rename. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { tempName, type DeliveryTarget } from './target';

/** Opens the directory (created if missing). */
export async function directoryTarget(dir: string): Promise<DeliveryTarget> {
  await fs.mkdir(dir, { recursive: true });
  return {
    async size(name) {
      try {
        return (await fs.stat(path.join(dir, name))).size;
      } catch {
        return null;
      }
    },
    async put(local, name) {
      const tmp = path.join(dir, tempName(name));
      await fs.copyFile(local, tmp);
      await fs.rename(tmp, path.join(dir, name));
    },
    async close() {},
  };
}
