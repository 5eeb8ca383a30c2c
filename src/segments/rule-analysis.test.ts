import { describe, expect, it } from 'vitest';
import type { Rule } from '../core/segments/rule-schema.ts';
import { eventMatters, ruleDependencies, segmentRefs } from './rule-analysis.ts';

const deps = (rule: unknown, rules: Record<string, unknown> = {}) =>
  ruleDependencies(rule as Rule, (id) => rules[id] as Rule | undefined);

describe('rule dependencies (real-time entry)', () => {
  it('collects the events a rule listens to', () => {
    const d = deps({
      and: [
        { event: 'Order Completed', count: { op: 'gte', value: 2 } },
        { not: { event: 'Refund', aggregate: { fn: 'sum', property: 'x' }, op: 'gt', value: 1 } },
        { sequence: [{ event: 'Product Viewed' }, { event: 'Order Completed' }] },
      ],
    });
    expect(d).toEqual({
      incremental: true,
      events: new Set(['Order Completed', 'Refund', 'Product Viewed']),
    });
    expect(eventMatters(d, 'track', 'Refund')).toBe(true);
    expect(eventMatters(d, 'page', 'Page Viewed')).toBe(false);
    expect(eventMatters(d, 'identify', 'Identify')).toBe(true); // may merge profiles
  });

  it('treats traits, built-ins, reachability and "any event" as depending on every event', () => {
    for (const rule of [
      { trait: 'plan', op: 'eq', value: 'pro' },
      { trait: '$lastSeen', op: 'within_last', value: { days: 3 } },
      { reachable: 'email' },
      { event: null },
    ]) {
      expect(deps({ or: [{ event: 'A' }, rule] }).events).toBe('all');
    }
  });

  it('is not incremental with RFM anywhere, referenced segments included', () => {
    expect(deps({ rfm: 'champions' }).incremental).toBe(false);
    expect(
      deps({ and: [{ segment: 'seg_a' }] }, { seg_a: { not: { rfm: { r: [4, 5] } } } }).incremental,
    ).toBe(false);
    expect(deps({ segment: 'seg_a' }, { seg_a: { event: 'B' } })).toEqual({
      incremental: true,
      events: new Set(['B']),
    });
    expect(deps({ segment: 'seg_missing' }).incremental).toBe(false);
    expect(deps({ segment: 'seg_a' }, { seg_a: { segment: 'seg_a' } }).incremental).toBe(false);
  });

  it('lists segment references with their paths', () => {
    const rule = { and: [{ segment: 'seg_a' }, { or: [{ not: { segment: 'seg_b' } }] }] } as Rule;
    expect(segmentRefs(rule)).toEqual([
      { id: 'seg_a', path: '/rule/and/0/segment' },
      { id: 'seg_b', path: '/rule/and/1/or/0/not/segment' },
    ]);
    expect(segmentRefs({ trait: 'a', op: 'exists' } as Rule)).toEqual([]);
  });
});
