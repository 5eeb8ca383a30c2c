import { describe, expect, it } from 'vitest';
import { filterOf, pathsOf } from '../testing/unit.ts';

describe('did / did-not SQL', () => {
  it('events of one name map to the surviving profile as they are read; count ≥ 1 by default', () => {
    const { query, params } = filterOf({ event: 'Order Completed' });
    expect(query).toContain(
      "SELECT if(a.survivor_id != '', a.survivor_id, e.profile_id) AS pid, count() AS v FROM events AS e LEFT ANY JOIN (SELECT profile_id, argMax(survivor_id, version) AS survivor_id FROM profile_aliases WHERE workspace_id = {p0:String} GROUP BY profile_id) AS a ON a.profile_id = e.profile_id",
    );
    expect(query).toContain('WHERE workspace_id = {p1:String} AND event = {p2:String} GROUP BY pid');
    expect(query).toMatch(
      /^\(sipHash128\(profile_id\) IN \(SELECT sipHash128\(pid\) FROM \(.*HAVING \(v >= \{p3:Float64\}\)\)\)\)$/,
    );
    expect(params).toEqual({ p0: 'ws_unit', p1: 'ws_unit', p2: 'Order Completed', p3: 1 });
  });

  it('events of any name aggregate per stored profile first, then merge per surviving profile', () => {
    const { query } = filterOf({ event: null, count: { op: 'gte', value: 2 } });
    expect(query).toContain(
      '(SELECT profile_id, countState() AS st0 FROM events WHERE workspace_id = {p0:String} GROUP BY profile_id) AS s',
    );
    expect(query).toContain(
      "SELECT if(a.survivor_id != '', a.survivor_id, s.profile_id) AS pid, countMerge(s.st0) AS v FROM",
    );
    expect(query).toContain(
      'LEFT ANY JOIN (SELECT profile_id, argMax(survivor_id, version) AS survivor_id FROM profile_aliases WHERE workspace_id = {p1:String} GROUP BY profile_id) AS a ON a.profile_id = s.profile_id GROUP BY pid',
    );
  });

  it('did not (count = 0) keeps profiles without events: NOT IN those that fail', () => {
    const { query } = filterOf({ event: 'x', count: { op: 'eq', value: 0 } });
    expect(query).toMatch(
      /^\(sipHash128\(profile_id\) NOT IN \(SELECT sipHash128\(pid\) FROM \(.*HAVING NOT \(v = \{p3:Float64\}\)\)\)\)$/,
    );
    expect(filterOf({ event: 'x', count: { op: 'lt', value: 3 } }).query).toMatch(
      /^\(sipHash128\(profile_id\) NOT IN/,
    );
    expect(filterOf({ event: 'x', count: { op: 'between', value: [1, 3] } }).query).toMatch(
      /^\(sipHash128\(profile_id\) IN/,
    );
  });

  it('event null means any event; within is a rolling window ending at now', () => {
    const { query, params } = filterOf({ event: null, within: { days: 30 } });
    expect(query).not.toContain('event =');
    expect(query).toContain(
      "timestamp >= {p1:DateTime64(3, 'UTC')} AND timestamp <= {p2:DateTime64(3, 'UTC')}",
    );
    expect([params.p1, params.p2]).toEqual(['2025-05-16 12:00:00.000', '2025-06-15 12:00:00.000']);
    const range = filterOf({ event: null, within: { from: '2025-01-01', to: '2025-01-31T23:59:59Z' } });
    expect([range.params.p1, range.params.p2]).toEqual([
      '2025-01-01 00:00:00.000',
      '2025-01-31 23:59:59.000',
    ]);
  });

  it('where filters test event properties', () => {
    const { query, values } = filterOf({
      event: 'Order Completed',
      where: [
        { property: 'revenue', op: 'gt', value: 100 },
        { property: 'product.category', op: 'eq', value: "Shoes'); DROP TABLE events; --" },
      ],
    });
    expect(query).toContain(
      "AND event = {p2:String} AND (JSONExtractFloat(properties, {p3:String}) > {p4:Float64} AND JSONType(properties, {p5:String}) IN ('Int64', 'UInt64', 'Double')",
    );
    expect(query).toContain(' AND (JSONExtractString(properties, {p6:String}, {p7:String}) = ');
    expect(query).not.toContain('DROP');
    expect(values).toContain("Shoes'); DROP TABLE events; --");
  });

  it('event names are bound, whatever they hold', () => {
    const name = 'Заказ "оформлен" \\ \'; DROP';
    const { query, values } = filterOf({ event: name });
    expect(query).not.toContain('Заказ');
    expect(values).toContain(name);
  });
});

describe('did validation', () => {
  it.each([
    ['empty event name', { event: '' }, ['/rule/event']],
    ['event name over 200 characters', { event: 'x'.repeat(201) }, ['/rule/event']],
    ['event name a number', { event: 5 }, ['/rule/event']],
    ['count op in', { event: 'a', count: { op: 'in', value: [1] } }, ['/rule/count/op']],
    ['count fraction', { event: 'a', count: { op: 'gte', value: 1.5 } }, ['/rule/count/value']],
    ['count not an object', { event: 'a', count: 3 }, ['/rule/count']],
    ['count unknown key', { event: 'a', count: { op: 'gte', value: 1, x: 1 } }, ['/rule/count/x']],
    ['within weeks', { event: 'a', within: { weeks: 1 } }, ['/rule/within']],
    [
      'within from after to',
      { event: 'a', within: { from: '2025-02-01', to: '2025-01-01' } },
      ['/rule/within/from'],
    ],
    ['within bad to', { event: 'a', within: { from: '2025-02-01', to: 'soon' } }, ['/rule/within/to']],
    ['where not a list', { event: 'a', where: { property: 'x' } }, ['/rule/where']],
    [
      'where bad property',
      { event: 'a', where: [{ property: 'a-b', op: 'exists' }] },
      ['/rule/where/0/property'],
    ],
    [
      'where bad op',
      {
        event: 'a',
        where: [
          { property: 'x', op: 'exists' },
          { property: 'y', op: 'is' },
        ],
      },
      ['/rule/where/1/op'],
    ],
    [
      'where unknown key',
      { event: 'a', where: [{ property: 'x', op: 'exists', trait: 'y' }] },
      ['/rule/where/0/trait'],
    ],
    [
      'several problems at once',
      { event: '', count: { op: 'x' }, within: 5 },
      ['/rule/event', '/rule/count/op', '/rule/within'],
    ],
  ])('%s', (_name, input, paths) => {
    expect(pathsOf(input)).toEqual(paths);
  });

  it('accepts a 200-character event name of any characters', () => {
    expect(filterOf({ event: `${'ж'.repeat(199)}'` }).values).toContain(`${'ж'.repeat(199)}'`);
  });
});
