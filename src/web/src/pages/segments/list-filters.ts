/** Filters of the segments list the API does not do itself: size and last computation. */
import type { Segment } from '../../api/segments.ts';

export const COMPUTED_FILTERS = ['any', 'hour', 'day', 'older', 'never'] as const;
export type ComputedFilter = (typeof COMPUTED_FILTERS)[number];

export interface LocalFilters {
  minSize: number | null;
  maxSize: number | null;
  computed: ComputedFilter;
}

const HOUR = 3_600_000;

export function matchesLocal(s: Segment, f: LocalFilters, now = Date.now()): boolean {
  const size = s.lastSize ?? 0;
  if (f.minSize !== null && size < f.minSize) return false;
  if (f.maxSize !== null && size > f.maxSize) return false;
  const at = s.lastComputedAt ? Date.parse(s.lastComputedAt) : null;
  switch (f.computed) {
    case 'any':
      return true;
    case 'never':
      return at === null;
    case 'hour':
      return at !== null && now - at <= HOUR;
    case 'day':
      return at !== null && now - at <= 24 * HOUR;
    case 'older':
      return at !== null && now - at > 24 * HOUR;
  }
}
