/**
 * Named RFM cells as rectangles of the recency × frequency grid (scores 1..5, 5 = best: bought
 * most recently / most often). Monetary is not constrained by a named cell. The 11 cells cover
 * each of the 25 (r, f) pairs exactly once:
 *
 *        f=1              f=2  f=3               f=4  f=5
 *  r=5   new_customers    potential_loyalists    champions
 *  r=4   promising        potential_loyalists    loyal
 *  r=3   about_to_sleep   ..   need_attention    loyal
 *  r=2   hibernating      ..   at_risk           at_risk    cant_lose
 *  r=1   lost             ..   at_risk           at_risk    cant_lose
 */
export type ScoreRange = readonly [number, number];

export interface RfmCell {
  r: ScoreRange;
  f: ScoreRange;
}

export const RFM_CELLS = {
  champions: { r: [5, 5], f: [4, 5] },
  loyal: { r: [3, 4], f: [4, 5] },
  potential_loyalists: { r: [4, 5], f: [2, 3] },
  new_customers: { r: [5, 5], f: [1, 1] },
  promising: { r: [4, 4], f: [1, 1] },
  need_attention: { r: [3, 3], f: [3, 3] },
  about_to_sleep: { r: [3, 3], f: [1, 2] },
  at_risk: { r: [1, 2], f: [3, 4] },
  cant_lose: { r: [1, 2], f: [5, 5] },
  hibernating: { r: [2, 2], f: [1, 2] },
  lost: { r: [1, 1], f: [1, 2] },
} as const satisfies Record<string, RfmCell>;

export type RfmCellName = keyof typeof RFM_CELLS;
export const RFM_CELL_NAMES = Object.keys(RFM_CELLS) as RfmCellName[];

export function isRfmCellName(name: string): name is RfmCellName {
  return Object.hasOwn(RFM_CELLS, name);
}
