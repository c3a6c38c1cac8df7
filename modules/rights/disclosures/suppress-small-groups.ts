/**
 * k-anonymous publication of counts (WSM-8, WSM-14). Every group smaller than k is suppressed (primary suppression).
 * Suppressed groups are merged into one "other (suppressed)" figure, and the total stays published — so, to keep a
 * suppressed group from being recovered by subtraction, more groups are suppressed (the next smallest first) until the
 * suppressed set has at least two groups, sums to at least k, and is not made of ones only (which would give each
 * away). If no group is left to add, the other figure and the total are withheld. Cross tables apply the same rule in
 * every row and column as well, so a one-dimensional report of the same data cannot be subtracted from them either.
 */

/** One group to publish: its key and how many subjects it holds. */
export interface Group<K = string> { key: K; count: number }

/** What may be published: each observed group's count (null = suppressed), the suppressed remainder, and the total. */
export interface SuppressedGroups<K = string> {
  groups: { key: K; count: number | null }[];
  /** Sum of the suppressed groups; null when nothing is suppressed or when it had to be withheld. */
  other: number | null;
  /** Sum of every group; null when it had to be withheld (the total itself below k, or only ones left to hide). */
  total: number | null;
}

const sum = (xs: Iterable<number>): number => {
  let s = 0;
  for (const x of xs) s += x;
  return s;
};

/** Whether a suppressed set still gives something away: a single group, a sum below k, or ones only. */
function exposed(counts: number[], k: number): boolean {
  if (!counts.length) return false;
  const s = sum(counts);
  return counts.length < 2 || s < k || s === counts.length;
}

/** Adds the smallest published groups of `members` to `hidden` until the hidden part of `members` is no longer exposed. */
function protect<K>(members: Group<K>[], hidden: Set<Group<K>>, k: number, notCover?: Set<Group<K>>): void {
  const hiddenCounts = () => members.filter((g) => hidden.has(g)).map((g) => g.count);
  if (!hiddenCounts().length) return;
  const candidates = members.filter((g) => !hidden.has(g) && !notCover?.has(g)).sort((a, b) => a.count - b.count);
  while (exposed(hiddenCounts(), k) && candidates.length) hidden.add(candidates.shift()!);
}

function validK(k: number): void {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer of at least 2 (got ${k})`);
}

function publish<K>(observed: Group<K>[], hidden: Set<Group<K>>, k: number): SuppressedGroups<K> {
  const groups = observed.map((g) => ({ key: g.key, count: hidden.has(g) ? null : g.count }));
  const total = sum(observed.map((g) => g.count));
  const hiddenCounts = observed.filter((g) => hidden.has(g)).map((g) => g.count);
  if (total < k || exposed(hiddenCounts, k)) return { groups: observed.map((g) => ({ key: g.key, count: null })), other: null, total: null };
  return { groups, other: hiddenCounts.length ? sum(hiddenCounts) : null, total };
}

/** Suppresses groups smaller than k (and as many more as it takes) so no published figure is below k and none can be derived. */
export function suppressSmallGroups<K>(input: readonly Group<K>[], k: number): SuppressedGroups<K> {
  validK(k);
  const observed = input.filter((g) => g.count > 0).map((g) => ({ ...g }));
  const hidden = new Set(observed.filter((g) => g.count < k));
  protect(observed, hidden, k);
  return publish(observed, hidden, k);
}

/** One cell of a cross table: the keys of its row and column, and its count. */
export interface Cell<R = string, C = string> { row: R; col: C; count: number }

/**
 * Suppresses a cross table: cells below k, then, in every row and column whose total reaches k (a total another report
 * may publish), enough further cells that the hidden part of the line cannot be had by subtraction; then the same over
 * the whole table. Cover is never taken from a cell that is alone in its row or column (its own total would give it
 * away). Should a line still be exposed, every cell is hidden (only the total may be published).
 */
export function suppressCrossTab<R, C>(input: readonly Cell<R, C>[], k: number): SuppressedGroups<{ row: R; col: C }> {
  validK(k);
  const cells = input.filter((c) => c.count > 0).map((c) => ({ key: { row: c.row, col: c.col }, count: c.count }));
  type C2 = (typeof cells)[number];
  const lines = (pick: (c: C2) => unknown): C2[][] => {
    const m = new Map<unknown, C2[]>();
    for (const c of cells) m.set(pick(c), [...(m.get(pick(c)) ?? []), c]);
    return [...m.values()];
  };
  const all = [...lines((c) => c.key.row), ...lines((c) => c.key.col)];
  const alone = new Set(all.filter((l) => l.length === 1).map((l) => l[0]));
  const hidden = new Set(cells.filter((c) => c.count < k));
  const guarded = all.filter((l) => sum(l.map((c) => c.count)) >= k);
  for (let size = -1; size !== hidden.size;) {
    size = hidden.size;
    for (const line of guarded) protect(line, hidden, k, alone);
    protect(cells, hidden, k, alone);
  }
  const lineExposed = guarded.some((l) => exposed(l.filter((c) => hidden.has(c)).map((c) => c.count), k));
  return publish(cells, lineExposed ? new Set(cells) : hidden, k);
}
