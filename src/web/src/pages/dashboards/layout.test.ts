import { describe, expect, it } from 'vitest';
import { addTile, applyLayout, NEW_TILE, removeTile, sameTiles, toLayout } from './layout.ts';

const tiles = [
  { reportId: 'rep_a', x: 0, y: 0, w: 6, h: 4 },
  { reportId: 'rep_b', x: 6, y: 0, w: 6, h: 4 },
  { reportId: 'rep_a', x: 0, y: 4, w: 12, h: 3 },
];

describe('dashboard layout', () => {
  it('maps tiles to grid items keyed by position and back', () => {
    const layout = toLayout(tiles);
    expect(layout.map((l) => l.i)).toEqual(['t0', 't1', 't2']);
    expect(applyLayout(tiles, layout)).toEqual(tiles);
  });

  it('takes the moved and resized positions from the grid, keeping the order and reports', () => {
    const moved = applyLayout(tiles, [
      { i: 't2', x: 0, y: 0, w: 4, h: 2 },
      { i: 't0', x: 4, y: 0, w: 8, h: 4 },
    ]);
    expect(moved).toEqual([
      { reportId: 'rep_a', x: 4, y: 0, w: 8, h: 4 },
      tiles[1],
      { reportId: 'rep_a', x: 0, y: 0, w: 4, h: 2 },
    ]);
    expect(sameTiles(moved, tiles)).toBe(false);
    expect(sameTiles(applyLayout(tiles, toLayout(tiles)), tiles)).toBe(true);
  });

  it('adds a tile below the lowest one and removes by position', () => {
    const added = addTile(tiles, 'rep_c');
    expect(added.at(-1)).toEqual({ reportId: 'rep_c', x: 0, y: 7, ...NEW_TILE });
    expect(addTile([], 'rep_c')).toEqual([{ reportId: 'rep_c', x: 0, y: 0, ...NEW_TILE }]);
    expect(removeTile(added, 0).map((t) => t.reportId)).toEqual(['rep_b', 'rep_a', 'rep_c']);
  });
});
