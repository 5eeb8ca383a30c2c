import { describe, expect, it } from 'vitest';
import {
  buildSpec,
  defaultState,
  eventSuggestions,
  localMidnight,
  nextDay,
  parseValue,
  stateFromSpec,
  zoneOffsetMinutes,
} from './spec-form.ts';

const today = new Date('2026-03-31T15:00:00Z');
const base = defaultState(today, 'UTC');

describe('report form → spec', () => {
  it('covers the 30 days up to today, to exclusive as the next local midnight', () => {
    const spec = buildSpec('overview', base);
    expect(spec).toEqual({
      from: '2026-03-02T00:00:00Z',
      to: '2026-04-01T00:00:00Z',
      timezone: 'UTC',
      granularity: 'day',
    });
  });

  it('cuts days at local midnight of the time zone, DST included', () => {
    expect(localMidnight('2026-03-01', 'Europe/Moscow')).toBe('2026-03-01T00:00:00+03:00');
    expect(localMidnight('2026-07-01', 'America/New_York')).toBe('2026-07-01T00:00:00-04:00');
    expect(localMidnight('2026-01-01', 'America/New_York')).toBe('2026-01-01T00:00:00-05:00');
    expect(localMidnight('2026-03-01', 'Asia/Kolkata')).toBe('2026-03-01T00:00:00+05:30');
    expect(zoneOffsetMinutes('No/Such_Zone', 0)).toBe(0);
    expect(nextDay('2026-02-28')).toBe('2026-03-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
  });

  it('builds a funnel with its steps, window, order, segment, breakdown and filters', () => {
    const spec = buildSpec('funnel', {
      ...base,
      steps: ['Product Viewed', ' ', 'Order Completed '],
      window: 36,
      windowUnit: 'hours',
      order: 'any',
      segmentId: 'seg_1',
      breakdown: { type: 'trait', name: 'city' },
      filters: [
        { target: 'property', name: 'utm_source', op: 'in', value: 'yandex, vk' },
        { target: 'trait', name: 'age', op: 'gte', value: '18' },
        { target: 'property', name: 'coupon', op: 'exists', value: 'ignored' },
        { target: 'property', name: '  ', op: 'eq', value: 'dropped' },
      ],
    });
    expect(spec).toMatchObject({
      steps: [{ event: 'Product Viewed' }, { event: 'Order Completed' }],
      window: { hours: 36 },
      order: 'any',
      segmentId: 'seg_1',
      breakdown: { trait: 'city' },
      filters: [
        { property: 'utm_source', op: 'in', value: ['yandex', 'vk'] },
        { trait: 'age', op: 'gte', value: 18 },
        { property: 'coupon', op: 'exists' },
      ],
    });
    expect((spec.filters as object[])[2]).not.toHaveProperty('value');
  });

  it('leaves out a breakdown without a name and empty optional events', () => {
    const spec = buildSpec('retention', {
      ...base,
      breakdown: { type: 'property', name: ' ' },
      cohortEvent: '',
    });
    expect(spec).not.toHaveProperty('breakdown');
    expect(spec).toMatchObject({ cohortEvent: null, returnEvent: null, period: 'week', periods: 8 });
    expect(buildSpec('subscriptions', base)).not.toHaveProperty('plan');
    expect(buildSpec('paths', { ...base, anchor: 'end', anchorEvent: 'Order Completed' })).toMatchObject({
      end: 'Order Completed',
      steps: 4,
      topN: 10,
    });
    expect(buildSpec('attribution', base)).toMatchObject({
      model: 'last_touch',
      lookbackDays: 30,
      channel: 'source',
    });
  });

  it('types filter values like the rule language: numbers, booleans, lists, strings', () => {
    expect(parseValue('eq', '42')).toBe(42);
    expect(parseValue('eq', '-1.5')).toBe(-1.5);
    expect(parseValue('eq', 'true')).toBe(true);
    expect(parseValue('eq', 'Moscow')).toBe('Moscow');
    expect(parseValue('contains', '42')).toBe('42');
    expect(parseValue('not_in', '1, a,, false')).toEqual([1, 'a', false]);
    expect(parseValue('not_exists', 'x')).toBeUndefined();
  });

  it('reads back a spec it built (a saved report opens in the form)', () => {
    const state = {
      ...base,
      timezone: 'Europe/Moscow',
      steps: ['A', 'B', 'C'],
      window: 3,
      segmentId: 'seg_9',
      breakdown: { type: 'property' as const, name: 'utm_source' },
      filters: [{ target: 'trait' as const, name: 'plan', op: 'in' as const, value: 'pro, free' }],
    };
    const spec = buildSpec('funnel', state);
    const back = stateFromSpec(spec, defaultState(new Date('2020-01-01'), 'UTC'));
    expect(buildSpec('funnel', back)).toEqual(spec);
    expect(back.from).toBe(state.from);
    expect(back.to).toBe(state.to);
    const paths = buildSpec('paths', { ...base, anchor: 'end', pathSteps: 5 });
    expect(buildSpec('paths', stateFromSpec(paths, base))).toEqual(paths);
  });

  it('suggests the workspace’s events first, most frequent first, then the common ones', () => {
    const names = eventSuggestions(['B', 'A', 'B', null, 'Order Completed']);
    expect(names.slice(0, 3)).toEqual(['B', 'A', 'Order Completed']);
    expect(names.filter((n) => n === 'Order Completed')).toHaveLength(1);
    expect(names).toContain('Product Viewed');
  });
});
