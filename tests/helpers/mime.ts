/** A small MIME reader for tests: headers (unfolded, encoded words decoded), and the text and HTML parts of a message. */

/** A decoded message. */
export interface ParsedMail { headers: Record<string, string>; subject: string; text: string; html: string; raw: string }

function bytesOf(s: string, hex: RegExp): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const m = s[i] === '=' ? hex.exec(s.slice(i, i + 3)) : null;
    if (m) {
      out.push(parseInt(m[1], 16));
      i += 2;
    } else {
      out.push(...Buffer.from(s[i], 'utf8'));
    }
  }
  return Buffer.from(out);
}

/** Decodes RFC 2047 encoded words (=?utf-8?Q?…?= / =?utf-8?B?…?=). */
export function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _cs: string, enc: string, text: string) => (
    enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : bytesOf(text.replace(/_/g, ' '), /^=([0-9A-Fa-f]{2})/).toString('utf8')
  ));
}

function split(raw: string): { headers: Record<string, string>; body: string } {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = decodeWords(line.slice(i + 1).trim());
  }
  return { headers, body };
}

function decodeBody(body: string, encoding = ''): string {
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/quoted-printable/i.test(encoding)) return bytesOf(body.replace(/=\r?\n/g, ''), /^=([0-9A-Fa-f]{2})/).toString('utf8');
  return body;
}

function walk(raw: string, out: { text: string; html: string }): Record<string, string> {
  const { headers, body } = split(raw);
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    for (const part of body.split(`--${boundary}`).slice(1)) {
      if (part.startsWith('--')) break;
      walk(part.replace(/^\r?\n/, ''), out);
    }
  } else if (/^text\/html/i.test(type)) {
    out.html = decodeBody(body, headers['content-transfer-encoding']);
  } else {
    out.text = decodeBody(body, headers['content-transfer-encoding']);
  }
  return headers;
}

/** Parses a raw RFC 5322 message. */
export function parseMail(raw: string): ParsedMail {
  const out = { text: '', html: '' };
  const headers = walk(raw, out);
  return { headers, subject: headers.subject ?? '', text: out.text.replace(/\r\n/g, '\n'), html: out.html.replace(/\r\n/g, '\n'), raw };
}
