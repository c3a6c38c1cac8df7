/** Reads a paged WHMCS list action page by page from a cursor (`limitstart`), never holding more than one page. */
import { callWhmcs, type WhmcsApi, type WhmcsParams } from '../api-client';
import type { SourcePage } from './import-context';

/** The pages of `action` from row `cursor` on; `rows` picks the rows out of one answer. */
export function apiPages<T>(api: WhmcsApi, action: string, params: WhmcsParams, rows: (answer: Record<string, unknown>) => T[], pageSize: number, cursor: number): { next: () => Promise<SourcePage<T>> } {
  let start = cursor;
  return {
    async next() {
      const answer = await callWhmcs(api, action, { ...params, limitstart: start, limitnum: pageSize });
      const got = rows(answer);
      start += got.length;
      const total = Number(answer.totalresults);
      return { rows: got, total: Number.isFinite(total) ? total : null };
    },
  };
}

/** `answer.<outer>.<inner>` as an array (WHMCS wraps list rows twice: `clients.client[]`), empty when absent. */
export const wrapped = <T>(outer: string, inner: string) => (answer: Record<string, unknown>): T[] => {
  const list = (answer[outer] as Record<string, unknown> | undefined)?.[inner];
  return Array.isArray(list) ? (list as T[]) : [];
};

/** Runs `fn` over `items`, at most `limit` at a time, answering in the items' order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
