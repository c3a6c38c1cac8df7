/**
 * WHMCS's paged list actions read one page at a time (`limitstart` / `limitnum`, `totalresults`), so an export or an
 * erasure walks a client with thousands of tickets without ever holding more than a page of them.
 */
import { callWhmcs, type WhmcsApi, type WhmcsParams } from '../api-client';

/** Rows per page (WHMCS answers 25 without `limitnum`). */
export const PAGE_SIZE = 100;

/** The rows of a paged list action, one page requested at a time as the caller reads on. */
export async function* pagesOf<T>(api: WhmcsApi, action: string, params: WhmcsParams, rows: (answer: Record<string, unknown>) => T[], pageSize = PAGE_SIZE): AsyncGenerator<T> {
  for (let start = 0, seen = 0; ; start += pageSize) {
    const answer = await callWhmcs(api, action, { ...params, limitstart: start, limitnum: pageSize });
    const got = rows(answer);
    yield* got;
    seen += got.length;
    if (!got.length || seen >= Number(answer.totalresults ?? 0)) return;
  }
}
