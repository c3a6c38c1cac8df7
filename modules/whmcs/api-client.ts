/** Calls WHMCS's external API: POST <apiUrl>/includes/api.php, form-encoded, JSON answers with `result` and `message`. */

/** Where and as whom to call. */
export interface WhmcsApi { apiUrl: string; identifier: string; secret: string; timeoutMs: number }

export type WhmcsParams = Record<string, string | number | boolean | undefined>;

/** A failed call; the message names the action and WHMCS's answer, never the parameters or the credentials. */
export class WhmcsApiError extends Error {
  constructor(readonly action: string, readonly whmcsMessage: string, readonly refused: boolean) {
    super(refused ? `WHMCS refused ${action}: ${whmcsMessage}` : `WHMCS ${action} failed: ${whmcsMessage}`);
    this.name = 'WhmcsApiError';
  }
}

const formValue = (v: string | number | boolean): string => (typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v));

/** One API call; answers the JSON of a `result: success`, throws a WhmcsApiError otherwise. */
export async function callWhmcs(api: WhmcsApi, action: string, params: WhmcsParams = {}): Promise<Record<string, unknown>> {
  const body = new URLSearchParams({ identifier: api.identifier, secret: api.secret, action, responsetype: 'json' });
  for (const [k, v] of Object.entries(params)) if (v !== undefined) body.set(k, formValue(v));
  let res: Response;
  try {
    res = await fetch(`${api.apiUrl.replace(/\/+$/, '')}/includes/api.php`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body, signal: AbortSignal.timeout(api.timeoutMs),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new WhmcsApiError(action, `unreachable (${cause})`, false);
  }
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = null;
  }
  if (!json || typeof json !== 'object') throw new WhmcsApiError(action, `HTTP ${res.status}, no JSON answer`, false);
  if (json.result !== 'success') throw new WhmcsApiError(action, String(json.message ?? `HTTP ${res.status}`).slice(0, 200), true);
  return json;
}

/** Every row of a paged list action (`limitstart` / `limitnum`, `totalresults`), `rows` picking them from one answer. */
export async function listAll<T>(api: WhmcsApi, action: string, params: WhmcsParams, rows: (answer: Record<string, unknown>) => T[], pageSize = 100): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; ; start += pageSize) {
    const answer = await callWhmcs(api, action, { ...params, limitstart: start, limitnum: pageSize });
    const got = rows(answer);
    out.push(...got);
    if (!got.length || out.length >= Number(answer.totalresults ?? 0)) return out;
  }
}
