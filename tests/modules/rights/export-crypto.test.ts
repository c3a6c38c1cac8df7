/** The export file format at rest (MS-8b): segmented AES-256-GCM that refuses a wrong key, a changed, reordered or cut file. */
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { decryptStream, encryptStream, newFileKey } from '../../../modules/rights/export/export-crypto';

async function run(input: Buffer, transform: () => NodeJS.ReadWriteStream, pieces = 7): Promise<Buffer> {
  const out: Buffer[] = [];
  const step = Math.max(1, Math.ceil(input.length / pieces));
  const chunks: Buffer[] = [];
  for (let i = 0; i < input.length; i += step) chunks.push(input.subarray(i, i + step));
  await pipeline(Readable.from(chunks), transform(), new Writable({ write(c: Buffer, _e, done) { out.push(c); done(); } }));
  return Buffer.concat(out);
}

const FRAME = 64 * 1024;

describe('export file encryption', () => {
  it.each([0, 1, FRAME - 1, FRAME, FRAME + 1, 3 * FRAME + 17])('MS-8b: %i bytes round-trip, and the file holds no plaintext', async (size) => {
    const key = newFileKey();
    const plain = Buffer.alloc(size, 'PK\x03\x04 personal data ');
    const sealed = await run(plain, () => encryptStream(key));
    expect(sealed.subarray(0, 4).toString('latin1')).toBe('PSXE');
    if (size > 32) expect(sealed.includes(plain.subarray(0, 32))).toBe(false);
    expect((await run(sealed, () => decryptStream(key), 5)).equals(plain)).toBe(true);
  });

  it('MS-8b: a wrong key, a flipped byte, a cut-off end, a dropped or swapped frame are refused', async () => {
    const key = newFileKey();
    const plain = crypto.randomBytes(3 * FRAME + 100);
    const sealed = await run(plain, () => encryptStream(key));
    await expect(run(sealed, () => decryptStream(newFileKey()))).rejects.toThrow();
    const flipped = Buffer.from(sealed);
    flipped[FRAME + 40] ^= 1;
    await expect(run(flipped, () => decryptStream(key))).rejects.toThrow();
    const frameLen = 4 + 1 + FRAME + 16;
    const head = 12;
    await expect(run(sealed.subarray(0, head + 2 * frameLen), () => decryptStream(key))).rejects.toThrow(/truncated/);
    const dropped = Buffer.concat([sealed.subarray(0, head), sealed.subarray(head + frameLen)]);
    await expect(run(dropped, () => decryptStream(key))).rejects.toThrow();
    const swapped = Buffer.concat([sealed.subarray(0, head), sealed.subarray(head + frameLen, head + 2 * frameLen), sealed.subarray(head, head + frameLen), sealed.subarray(head + 2 * frameLen)]);
    await expect(run(swapped, () => decryptStream(key))).rejects.toThrow();
    await expect(run(Buffer.concat([sealed, Buffer.from('junk')]), () => decryptStream(key))).rejects.toThrow();
  });
});
