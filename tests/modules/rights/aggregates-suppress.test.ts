/** k-anonymous suppression (WSM-8, WSM-14): examples, and properties over random tables (fast-check). */
import fc from 'fast-check';
import { suppressCrossTab, suppressSmallGroups, type SuppressedGroups } from '../../../modules/rights/disclosures/suppress-small-groups';

const published = <K>(r: SuppressedGroups<K>) => r.groups.filter((g) => g.count !== null).map((g) => g.count as number);
const hiddenKeys = <K>(r: SuppressedGroups<K>) => r.groups.filter((g) => g.count === null).map((g) => g.key);

/**
 * What an attacker who knows every group's key (not just the published ones) and that each holds at least one person
 * can tell about a suppressed group: its feasible counts, given the published counts and the other figure (or the
 * total, which gives the same: total − published). With m suppressed groups summing to S, each lies in [1, S − m + 1].
 */
function feasibleRange(r: SuppressedGroups<unknown>): [number, number] | null {
  const m = hiddenKeys(r).length;
  if (!m) return null;
  const s = r.other ?? (r.total === null ? null : r.total - published(r).reduce((a, b) => a + b, 0));
  if (s === null) return [1, Infinity];
  return [1, s - m + 1];
}

const groupsArb = fc.uniqueArray(fc.record({ key: fc.constantFrom('GB', 'DE', 'FR', 'NL', 'ES', 'IT', 'PL', 'SE', 'US', 'JP'), count: fc.integer({ min: 0, max: 40 }) }), { selector: (g) => g.key, maxLength: 10 });

describe('suppressSmallGroups', () => {
  it('WSM-8: with 25 in GB, 12 in DE and 3 in FR and k = 10, FR is hidden and so is DE, so FR cannot be had from the total', () => {
    const r = suppressSmallGroups([{ key: 'GB', count: 25 }, { key: 'DE', count: 12 }, { key: 'FR', count: 3 }], 10);
    expect(r).toEqual({ groups: [{ key: 'GB', count: 25 }, { key: 'DE', count: null }, { key: 'FR', count: null }], other: 15, total: 40 });
  });

  it('WSM-14: a lower k publishes more (k = 5 shows DE; k = 3 shows everything)', () => {
    const data = [{ key: 'GB', count: 25 }, { key: 'DE', count: 12 }, { key: 'FR', count: 3 }, { key: 'NL', count: 6 }];
    expect(suppressSmallGroups(data, 10)).toMatchObject({ other: 21, total: 46 });
    expect(published(suppressSmallGroups(data, 10))).toEqual([25]);
    expect(suppressSmallGroups(data, 5)).toMatchObject({ groups: [{ key: 'GB', count: 25 }, { key: 'DE', count: 12 }, { key: 'FR', count: null }, { key: 'NL', count: null }], other: 9, total: 46 });
    expect(suppressSmallGroups(data, 3)).toMatchObject({ other: null, total: 46 });
    expect(hiddenKeys(suppressSmallGroups(data, 3))).toEqual([]);
  });

  it('WSM-8: a total below k publishes nothing; groups of ones only are not given away', () => {
    expect(suppressSmallGroups([{ key: 'GB', count: 4 }, { key: 'DE', count: 3 }], 10)).toEqual({ groups: [{ key: 'GB', count: null }, { key: 'DE', count: null }], other: null, total: null });
    const ones = suppressSmallGroups([{ key: 'A', count: 1 }, { key: 'B', count: 1 }, { key: 'C', count: 30 }], 2);
    expect(ones.other).not.toBe(2);
    expect(feasibleRange(ones)![1]).toBeGreaterThan(1);
    expect(() => suppressSmallGroups([], 1)).toThrow(RangeError);
  });

  it('WSM-8: no published count is below k, and the suppressed part adds up', () => {
    fc.assert(fc.property(groupsArb, fc.integer({ min: 2, max: 15 }), (groups, k) => {
      const r = suppressSmallGroups(groups, k);
      for (const c of published(r)) expect(c).toBeGreaterThanOrEqual(k);
      if (r.other !== null) expect(r.other).toBeGreaterThanOrEqual(k);
      if (r.total !== null) {
        expect(r.total).toBe(groups.reduce((a, g) => a + g.count, 0));
        expect(published(r).reduce((a, b) => a + b, 0) + (r.other ?? 0)).toBe(r.total);
      } else {
        expect(published(r)).toEqual([]);
        expect(r.other).toBeNull();
      }
      for (const g of groups) if (g.count > 0 && g.count < k) expect(r.groups.find((x) => x.key === g.key)!.count).toBeNull();
      expect(r.groups.map((g) => g.key).sort()).toEqual(groups.filter((g) => g.count > 0).map((g) => g.key).sort());
    }), { numRuns: 2000 });
  });

  it('WSM-14: no suppressed count can be derived from what is published, even knowing every key', () => {
    fc.assert(fc.property(groupsArb, fc.integer({ min: 2, max: 15 }), (groups, k) => {
      const r = suppressSmallGroups(groups, k);
      const range = feasibleRange(r);
      if (range) expect(range[1]).toBeGreaterThan(range[0]);
      // Nothing is hidden needlessly: without any group below k, everything is published.
      if (!groups.some((g) => g.count > 0 && g.count < k)) expect(hiddenKeys(r)).toEqual([]);
    }), { numRuns: 2000 });
  });
});

describe('suppressCrossTab', () => {
  const cellsArb = fc.uniqueArray(fc.record({ row: fc.constantFrom('GB', 'DE', 'FR', 'NL'), col: fc.constantFrom('active', 'closed', 'client', 'contact'), count: fc.integer({ min: 0, max: 30 }) }), { selector: (c) => `${c.row}|${c.col}`, maxLength: 16 });

  it('WSM-8: no published cell is below k, and no row or column total published elsewhere gives a hidden cell away', () => {
    fc.assert(fc.property(cellsArb, fc.integer({ min: 2, max: 12 }), (cells, k) => {
      const r = suppressCrossTab(cells, k);
      const observed = cells.filter((c) => c.count > 0);
      const countOf = (row: string, col: string) => observed.find((c) => c.row === row && c.col === col)!.count;
      for (const g of r.groups) if (g.count !== null) expect(g.count).toBeGreaterThanOrEqual(k);
      if (r.other !== null) expect(r.other).toBeGreaterThanOrEqual(k);
      if (!r.groups.some((g) => g.count !== null)) {
        // Fallback: nothing but the total (then as the other figure), and only when that does not give the cells away.
        if (r.total !== null) expect(r.other).toBe(r.total);
        if (r.total !== null) expect(r.total).toBeGreaterThan(observed.length);
        return;
      }
      for (const pick of ['row', 'col'] as const) {
        for (const line of new Set(observed.map((c) => c[pick]))) {
          const members = r.groups.filter((g) => g.key[pick] === line);
          const lineTotal = members.reduce((a, g) => a + countOf(g.key.row, g.key.col), 0);
          const hidden = members.filter((g) => g.count === null).map((g) => countOf(g.key.row, g.key.col));
          if (lineTotal < k || !hidden.length) continue;
          // Line total − published cells = the hidden part: it must hold two or more cells, sum to k or more, and not be ones only.
          const s = hidden.reduce((a, b) => a + b, 0);
          expect(hidden.length).toBeGreaterThanOrEqual(2);
          expect(s).toBeGreaterThanOrEqual(k);
          expect(s).toBeGreaterThan(hidden.length);
        }
      }
    }), { numRuns: 1500 });
  });

  it('WSM-8: a small cell is covered in its row and its column (a 2 × 2 table goes entirely; a larger one keeps its safe cells)', () => {
    const r = suppressCrossTab([
      { row: 'GB', col: 'active', count: 20 }, { row: 'GB', col: 'closed', count: 3 },
      { row: 'DE', col: 'active', count: 15 }, { row: 'DE', col: 'closed', count: 11 },
    ], 10);
    expect(r.groups.filter((g) => g.count !== null)).toEqual([]);
    expect(r).toMatchObject({ other: 49, total: 49 });
    const open = suppressCrossTab([
      { row: 'GB', col: 'active', count: 40 }, { row: 'GB', col: 'closed', count: 3 }, { row: 'GB', col: 'restricted', count: 12 },
      { row: 'DE', col: 'active', count: 30 }, { row: 'DE', col: 'closed', count: 14 }, { row: 'DE', col: 'restricted', count: 25 },
    ], 10);
    expect(open.groups.filter((g) => g.count !== null)).toEqual([{ key: { row: 'GB', col: 'active' }, count: 40 }, { key: { row: 'DE', col: 'active' }, count: 30 }]);
    expect(open).toMatchObject({ other: 54, total: 124 });
  });
});
