/**
 * Dashboard tiles ↔ react-grid-layout items. Pure: the grid is 12 columns wide; a tile's key is
 * its position in the dashboard's list (`t0`, `t1`…), so one saved report may appear twice.
 */
import type { Tile } from '../../api/reports.ts';

export const COLS = 12;
export const ROW_HEIGHT = 60;
export const NEW_TILE = { w: 6, h: 5 };

export interface GridItem {
  i: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export const tileKey = (index: number) => `t${index}`;

export function toLayout(tiles: Tile[]): GridItem[] {
  return tiles.map((t, i) => ({ i: tileKey(i), x: t.x, y: t.y, w: t.w, h: t.h }));
}

/** The tiles with the positions and sizes of `layout` (items matched by key; others unchanged). */
export function applyLayout(tiles: Tile[], layout: readonly GridItem[]): Tile[] {
  const byKey = new Map(layout.map((l) => [l.i, l]));
  return tiles.map((t, i) => {
    const l = byKey.get(tileKey(i));
    return l ? { reportId: t.reportId, x: l.x, y: l.y, w: l.w, h: l.h } : t;
  });
}

/** Whether two tile lists place the same reports at the same positions and sizes. */
export function sameTiles(a: Tile[], b: Tile[]): boolean {
  return (
    a.length === b.length &&
    a.every((t, i) => {
      const u = b[i];
      return t.reportId === u.reportId && t.x === u.x && t.y === u.y && t.w === u.w && t.h === u.h;
    })
  );
}

/** A new tile for `reportId` below every other one, at the left edge. */
export function addTile(tiles: Tile[], reportId: string): Tile[] {
  const bottom = Math.max(0, ...tiles.map((t) => t.y + t.h));
  return [...tiles, { reportId, x: 0, y: bottom, ...NEW_TILE }];
}

export function removeTile(tiles: Tile[], index: number): Tile[] {
  return tiles.filter((_, i) => i !== index);
}
