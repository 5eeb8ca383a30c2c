import { describe, expect, it } from 'vitest';
import { filterOf, pathsOf } from '../testing/unit.ts';

const base = { event: 'Order Completed', within: { days: 90 } };

describe('aggregate condition SQL', () => {
  it('sum adds numeric values only; 0 for profiles without events decides IN vs NOT IN', () => {
    const gt = filterOf({ ...base, aggregate: { fn: 'sum', property: 'price' }, op: 'gt', value: 1000 });
    expect(gt.query).toMatch(/^\(sipHash128\(profile_id\) IN \(SELECT sipHash128\(pid\) FROM \(/);
    expect(gt.query).toContain(
      "sumIf(JSONExtractFloat(properties, {p0:String}), JSONType(properties, {p1:String}) IN ('Int64', 'UInt64', 'Double')) AS v",
    );
    expect(gt.query).toContain('HAVING (v > {p7:Float64})');
    expect(gt.params.p7).toBe(1000);
    const lt = filterOf({ ...base, aggregate: { fn: 'sum', property: 'price' }, op: 'lt', value: 10 });
    expect(lt.query).toMatch(
      /^\(sipHash128\(profile_id\) NOT IN \(SELECT sipHash128\(pid\) FROM \(.*HAVING NOT \(v </,
    );
  });

  it('revenue reads the columns materialised at insert, not the JSON', () => {
    const { query } = filterOf({
      ...base,
      aggregate: { fn: 'sum', property: 'revenue' },
      op: 'gt',
      value: 1,
    });
    expect(query).toContain('sumIf(revenue, revenue_is_number) AS v');
    expect(query).not.toContain('JSON');
    const max = filterOf({ ...base, aggregate: { fn: 'max', property: 'revenue' }, op: 'gt', value: 1 });
    expect(max.query).toContain('max(revenue) AS v');
    expect(max.query).toContain('AND revenue_is_number GROUP BY pid');
  });

  it('avg/min/max keep only events with a numeric value and never match profiles without one', () => {
    for (const fn of ['avg', 'min', 'max']) {
      const { query } = filterOf({ ...base, aggregate: { fn, property: 'price' }, op: 'lt', value: 10 });
      expect(query).toMatch(/^\(sipHash128\(profile_id\) IN \(SELECT sipHash128\(pid\) FROM \(/);
      expect(query).toContain(
        ` AND JSONType(properties, {p6:String}) IN ('Int64', 'UInt64', 'Double') GROUP BY pid`,
      );
      expect(query).toContain(`${fn}(JSONExtractFloat(properties, {p0:String})) AS v`);
      expect(query).toContain('HAVING (v < {p7:Float64})');
    }
  });

  it('count and count_distinct', () => {
    const count = filterOf({ ...base, aggregate: { fn: 'count' }, op: 'gte', value: 2 }).query;
    expect(count).toContain('count() AS v');
    expect(count).toContain('HAVING (v >= {p5:Float64})');
    expect(
      filterOf({ ...base, aggregate: { fn: 'count', property: 'x' }, op: 'gte', value: 2 }).query,
    ).toContain("countIf(JSONType(properties, {p0:String}) != 'Null') AS v");
    const distinct = filterOf({
      ...base,
      aggregate: { fn: 'count_distinct', property: 'sku' },
      op: 'eq',
      value: 3,
    });
    expect(distinct.query).toContain("uniqExactIf(multiIf(JSONType(properties, {p0:String}) IN ('Int64'");
    expect(distinct.query).toContain("concat('n:', toString(");
  });

  it('where filters and between', () => {
    const { query, values } = filterOf({
      event: null,
      aggregate: { fn: 'max', property: 'price' },
      op: 'between',
      value: [1, 2.5],
      where: [{ property: 'currency', op: 'eq', value: 'USD' }],
    });
    expect(query).not.toContain('event =');
    expect(query).toContain('BETWEEN {p');
    expect(values).toEqual(expect.arrayContaining(['USD', 'price', 1, 2.5]));
  });
});

describe('aggregate validation', () => {
  const agg = { fn: 'sum', property: 'revenue' };
  it.each([
    [
      'unknown fn',
      { event: 'a', aggregate: { fn: 'median', property: 'x' }, op: 'gt', value: 1 },
      ['/rule/aggregate/fn'],
    ],
    [
      'sum without property',
      { event: 'a', aggregate: { fn: 'sum' }, op: 'gt', value: 1 },
      ['/rule/aggregate/property'],
    ],
    [
      'bad property',
      { event: 'a', aggregate: { fn: 'sum', property: 'x y' }, op: 'gt', value: 1 },
      ['/rule/aggregate/property'],
    ],
    [
      'aggregate unknown key',
      { event: 'a', aggregate: { ...agg, of: 1 }, op: 'gt', value: 1 },
      ['/rule/aggregate/of'],
    ],
    ['string value', { event: 'a', aggregate: agg, op: 'gt', value: '1' }, ['/rule/value']],
    ['text op', { event: 'a', aggregate: agg, op: 'contains', value: 1 }, ['/rule/op']],
    ['between reversed', { event: 'a', aggregate: agg, op: 'between', value: [3, 1] }, ['/rule/value']],
    ['missing event', { aggregate: agg, op: 'gt', value: 1 }, ['/rule/event']],
    ['aggregate not an object', { event: 'a', aggregate: 'sum', op: 'gt', value: 1 }, ['/rule/aggregate']],
    [
      'count key is not allowed',
      { event: 'a', aggregate: agg, op: 'gt', value: 1, count: {} },
      ['/rule/count'],
    ],
  ])('%s', (_name, input, paths) => {
    expect(pathsOf(input)).toEqual(paths);
  });
});
