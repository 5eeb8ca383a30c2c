/**
 * A report plan: the parameterised queries a report needs and the pure function that turns their
 * rows into the result. The service runs the queries; everything else is here, testable alone.
 */
import type { SqlFragment } from '../sql.ts';
import type { FieldsOf, ResultOf } from './results.ts';
import { groupValue, TOTAL } from './source.ts';
import type { ReportKind } from './spec.ts';

export type Row = Record<string, unknown>;

export interface ReportPlan<K extends ReportKind> {
  /** Named queries; each answers rows with a `grp` column when it is split by group. */
  queries: Record<string, SqlFragment>;
  shape(rows: Record<string, Row[]>): ResultOf<K>;
}

/** ClickHouse sends 64-bit integers as strings in JSON. */
export function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v ?? 0);
}

/** a / b, or null when b is 0. */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

/**
 * Splits rows by their `grp` key and builds the fields of every group: the whole population
 * (grp '') gives the top-level fields, the others the `breakdown` list (when `grouped`), ordered
 * by `order` (the segment ids as given) or by value, null last.
 */
export function byGroup<K extends ReportKind>(
  rows: Row[],
  grouped: boolean,
  fields: (groupRows: Row[], key: string) => FieldsOf<K>,
  order?: readonly string[],
): ResultOf<K> {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = String(r.grp ?? TOTAL);
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  const total = fields(groups.get(TOTAL) ?? [], TOTAL);
  if (!grouped) return total as ResultOf<K>;
  let keys = [...groups.keys()].filter((k) => k !== TOTAL);
  if (order) {
    keys = order.map((id) => `v${id}`);
  } else {
    keys.sort((a, b) => {
      const va = groupValue(a);
      const vb = groupValue(b);
      if (va === null || vb === null) return va === vb ? 0 : va === null ? 1 : -1;
      return va < vb ? -1 : va > vb ? 1 : 0;
    });
  }
  const breakdown = keys.map((k) => ({ value: groupValue(k), ...fields(groups.get(k) ?? [], k) }));
  return { ...total, breakdown } as ResultOf<K>;
}
