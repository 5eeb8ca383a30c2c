import { describe, expect, it } from 'vitest';
import { filterOf, pathsOf } from '../testing/unit.ts';

describe('sequence condition SQL', () => {
  it('folds each profile’s time-sorted matching events over the steps', () => {
    const { query, params } = filterOf({
      sequence: [
        { event: 'Product Viewed' },
        { event: 'Order Completed', where: [{ property: 'revenue', op: 'gt', value: 5 }] },
      ],
      within: { days: 7 },
    });
    expect(query).toContain(
      "timestamp >= {p6:DateTime64(3, 'UTC')} AND timestamp <= {p7:DateTime64(3, 'UTC')}",
    );
    expect(query).toContain(
      ' AND ((event = {p8:String}) OR (event = {p9:String} AND (JSONExtractFloat(properties, {p10:String})',
    );
    expect(query).toContain(
      'arrayFold((acc, x) -> if(acc.1 < {p14:UInt64} AND x.1 > acc.2 AND x.2[acc.1 + 1] = 1',
    );
    // Events are collected per stored profile, merged per survivor, then sorted.
    expect(query).toContain(
      'groupArrayState((toUnixTimestamp64Milli(timestamp), [toUInt8((event = {p0:String}))',
    );
    expect(query).toContain('groupArrayMerge(s.st0) AS evs');
    expect(query).toContain('arraySort(x -> x.1, evs)');
    expect(query).toMatch(/\)\.1 = \{p15:UInt64\}\)\)\)$/);
    expect([params.p8, params.p9, params.p14, params.p15, params.p6]).toEqual([
      'Product Viewed',
      'Order Completed',
      2,
      2,
      '2025-06-08 12:00:00.000',
    ]);
  });

  it('a step with any event and no filter matches every event', () => {
    const { query } = filterOf({ sequence: [{ event: null }, { event: 'b' }] });
    expect(query).toContain(' AND (1 OR (event = {p2:String})) GROUP BY profile_id');
    expect(query).toContain('[toUInt8(1), toUInt8((event = {p0:String}))]');
    expect(query).not.toContain('timestamp >=');
  });
});

describe('sequence validation', () => {
  it.each([
    ['empty', { sequence: [] }, ['/rule/sequence']],
    ['not a list', { sequence: { event: 'a' } }, ['/rule/sequence']],
    ['over 20 steps', { sequence: Array.from({ length: 21 }, () => ({ event: 'a' })) }, ['/rule/sequence']],
    ['step without event', { sequence: [{ event: 'a' }, { where: [] }] }, ['/rule/sequence/1/event']],
    ['step unknown key', { sequence: [{ event: 'a', count: 1 }] }, ['/rule/sequence/0/count']],
    [
      'step bad where',
      { sequence: [{ event: 'a', where: [{ property: '9', op: 'exists' }] }] },
      ['/rule/sequence/0/where/0/property'],
    ],
    ['bad within', { sequence: [{ event: 'a' }], within: { days: 'x' } }, ['/rule/within/days']],
    ['unknown key', { sequence: [{ event: 'a' }], order: 'strict' }, ['/rule/order']],
  ])('%s', (_name, input, paths) => {
    expect(pathsOf(input)).toEqual(paths);
  });
});
