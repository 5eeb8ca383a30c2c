import { describe, expect, it } from 'vitest';
import type { Segment } from '../../api/segments.ts';
import { freshness } from '../../api/segments.ts';
import { type LocalFilters, matchesLocal } from './list-filters.ts';

const now = Date.parse('2026-01-10T12:00:00Z');
const seg = (over: Partial<Segment>): Segment =>
  ({
    type: 'dynamic',
    lastSize: 10,
    lastComputedAt: '2026-01-10T11:30:00Z',
    lastError: null,
    staleReason: null,
    ...over,
  }) as Segment;
const any: LocalFilters = { minSize: null, maxSize: null, computed: 'any' };

describe('segment list filters', () => {
  it('filters by size bounds', () => {
    expect(matchesLocal(seg({}), { ...any, minSize: 10, maxSize: 10 }, now)).toBe(true);
    expect(matchesLocal(seg({}), { ...any, minSize: 11 }, now)).toBe(false);
    expect(matchesLocal(seg({ lastSize: null }), { ...any, maxSize: 0 }, now)).toBe(true);
  });

  it('filters by when it was last computed', () => {
    expect(matchesLocal(seg({}), { ...any, computed: 'hour' }, now)).toBe(true);
    expect(
      matchesLocal(seg({ lastComputedAt: '2026-01-10T10:00:00Z' }), { ...any, computed: 'hour' }, now),
    ).toBe(false);
    expect(
      matchesLocal(seg({ lastComputedAt: '2026-01-10T10:00:00Z' }), { ...any, computed: 'day' }, now),
    ).toBe(true);
    expect(
      matchesLocal(seg({ lastComputedAt: '2026-01-08T10:00:00Z' }), { ...any, computed: 'older' }, now),
    ).toBe(true);
    expect(matchesLocal(seg({ lastComputedAt: null }), { ...any, computed: 'never' }, now)).toBe(true);
    expect(matchesLocal(seg({}), { ...any, computed: 'never' }, now)).toBe(false);
  });

  it('tells freshness: failed beats stale, static segments are never "never computed"', () => {
    expect(freshness(seg({}))).toBe('fresh');
    expect(freshness(seg({ staleReason: 'schedule_missed' }))).toBe('stale');
    expect(freshness(seg({ staleReason: 'failed', lastError: 'boom' }))).toBe('failed');
    expect(freshness(seg({ lastComputedAt: null }))).toBe('never');
    expect(freshness(seg({ type: 'static', lastComputedAt: null }))).toBe('fresh');
  });
});
