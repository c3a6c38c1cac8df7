/** RFC 5734 framing: each EPP frame is prefixed by a 4-byte big-endian length that counts the header itself. */

/** Largest frame accepted (a registry answer is far smaller; this bounds memory on a broken peer). */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

/** Encodes one XML document as a frame. */
export function encodeFrame(xml: string): Buffer {
  const body = Buffer.from(xml, 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length + 4, 0);
  return Buffer.concat([header, body]);
}

/** Accumulates bytes from a stream and yields each complete frame's XML. */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);

  /** Adds received bytes; returns the frames they completed. Throws on an impossible length. */
  push(chunk: Buffer): string[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: string[] = [];
    while (this.buf.length >= 4) {
      const total = this.buf.readUInt32BE(0);
      if (total < 5 || total > MAX_FRAME_BYTES) throw new Error(`invalid EPP frame length ${total}`);
      if (this.buf.length < total) break;
      frames.push(this.buf.subarray(4, total).toString('utf8'));
      this.buf = this.buf.subarray(total);
    }
    return frames;
  }
}
