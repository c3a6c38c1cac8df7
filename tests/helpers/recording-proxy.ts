/**
 * A proxy in front of the suite for connector tests: forwards every request unchanged (body, signature and
 * idempotency headers) and records what passed with the suite's answer, so a test sees exactly what left WHMCS.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

type Row = Record<string, unknown>;

/** One request that passed: the hook (last path segment), the raw and parsed body, its key, the suite's answer. */
export interface Passed {
  hook: string;
  raw: string;
  body: { brand?: string; vars: Row; context: Row };
  key: string | null;
  status: number;
  replayed: boolean;
  answer: Row;
}

export interface RecordingProxy {
  url: string;
  seen: Passed[];
  /** When true, the suite takes the request and the proxy answers 503: an outcome the caller cannot know. */
  loseAnswers: boolean;
  /** When true, the proxy drops every connection unanswered: the suite is unreachable (nothing is recorded). */
  down: boolean;
  close: () => Promise<void>;
}

const FORWARDED = ['content-type', 'x-suite-timestamp', 'x-suite-signature', 'idempotency-key'];

/** Starts a recording proxy to `target` (the suite's base URL) on a random loopback port. */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const proxy = { url: '', seen: [] as Passed[], loseAnswers: false, down: false, close: async () => {} };
  const server = http.createServer((req, res) => {
    if (proxy.down) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers: Record<string, string> = {};
      for (const h of FORWARDED) {
        const v = req.headers[h];
        if (typeof v === 'string') headers[h] = v;
      }
      void fetch(`${target}${req.url ?? '/'}`, { method: req.method, headers, body: raw }).then(async (r) => {
        const text = await r.text();
        let answer: Row = {};
        try { answer = JSON.parse(text || '{}') as Row; } catch { answer = {}; }
        proxy.seen.push({
          hook: (req.url ?? '').split('/').pop() ?? '', raw, body: JSON.parse(raw || '{}') as Passed['body'], key: headers['idempotency-key'] ?? null,
          status: r.status, replayed: r.headers.get('idempotent-replayed') === 'true', answer,
        });
        if (proxy.loseAnswers) res.writeHead(503, { 'content-type': 'application/json' }).end('{}');
        else res.writeHead(r.status, { 'content-type': 'application/json' }).end(text);
      }, () => res.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return proxy;
}
