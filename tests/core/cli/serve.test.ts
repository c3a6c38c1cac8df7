/** CLI serve: owner key printed once on an empty database, never again; SIGTERM stops gracefully with exit 0. */
import { createTestDb, type TestDb } from '../../helpers/test-db';
import { startServe } from '../../helpers/run-cli';

let db: TestDb;

beforeAll(async () => { db = await createTestDb(); });
afterAll(() => db.drop());

/** Fires /healthz requests back to back until told to stop; counts answers and responses cut mid-body. */
function hammer(url: string): { stop: () => Promise<{ answered: number; cut: number }> } {
  let running = true;
  let answered = 0;
  let cut = 0;
  const loop = (async () => {
    while (running) {
      let res: Response;
      try {
        res = await fetch(`${url}/healthz`);
      } catch {
        await new Promise((r) => setTimeout(r, 5)); // refused before any response: not a cut request
        continue;
      }
      try {
        const body = (await res.json()) as { ok: boolean };
        if (res.status === 200) expect(body.ok).toBe(true);
        else expect(res.status).toBe(503);
        answered += 1;
      } catch {
        cut += 1;
      }
    }
  })();
  return { stop: async () => { running = false; await loop; return { answered, cut }; } };
}

describe('privacy-suite serve', () => {
  it('on an empty database prints the owner key once with what to do next; the key opens the admin API; SIGTERM exits 0', async () => {
    const s = await startServe(db);
    const out = s.output();
    const keys = out.match(/psk_[0-9a-f]{12}_[A-Za-z0-9_-]+/g) ?? [];
    expect(keys).toHaveLength(1);
    expect(out).toContain('Authorization: Bearer <key>');
    expect(out).toContain('npm run demo');
    expect(out).toContain('README');
    const res = await fetch(`${s.url}/api/v1/admin/brands`, { headers: { authorization: `Bearer ${keys[0]}` } });
    expect(res.status).toBe(200);
    expect(await s.stop('SIGTERM')).toBe(0);
  });

  it('a second start on the same database prints no key, and SIGTERM under load cuts no request mid-response', async () => {
    const s = await startServe(db);
    expect(s.output()).not.toMatch(/psk_/);
    const load = hammer(s.url);
    await new Promise((r) => setTimeout(r, 300));
    const code = await s.stop('SIGTERM');
    const { answered, cut } = await load.stop();
    expect(code).toBe(0);
    expect(answered).toBeGreaterThan(0);
    expect(cut).toBe(0);
    expect(s.output()).toContain('stopped');
  });
});
