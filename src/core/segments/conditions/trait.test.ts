import { describe, expect, it } from 'vitest';
import { ISO_TIME_SOURCE } from '../iso-time.ts';
import { filterOf, pathsOf } from '../testing/unit.ts';

describe('trait condition SQL', () => {
  it('eq string: a bound value, then the type check; the name is a JSONExtract parameter', () => {
    const { query, params } = filterOf({ trait: 'city', op: 'eq', value: 'Москва' });
    expect(query).toBe(
      "(JSONExtractString(traits, {p0:String}) = {p1:String} AND JSONType(traits, {p2:String}) = 'String')",
    );
    expect(params).toEqual({ p0: 'city', p1: 'Москва', p2: 'city' });
  });

  it('dots reach nested traits, one parameter per level', () => {
    const { query, values } = filterOf({ trait: 'address.geo.lat', op: 'gt', value: 50 });
    expect(query).toContain('JSONExtractFloat(traits, {p0:String}, {p1:String}, {p2:String}) > {p3:Float64}');
    expect(query).toContain("IN ('Int64', 'UInt64', 'Double')");
    expect(values).toEqual(['address', 'geo', 'lat', 50, 'address', 'geo', 'lat']);
  });

  it('eq is type-strict: numbers as Float64, booleans as Bool', () => {
    expect(filterOf({ trait: 'age', op: 'eq', value: 34 }).query).toContain(
      "(JSONExtractFloat(traits, {p0:String}) = {p1:Float64} AND JSONType(traits, {p2:String}) IN ('Int64', 'UInt64', 'Double'))",
    );
    expect(filterOf({ trait: 'vip', op: 'eq', value: true }).query).toBe(
      "(JSONExtractBool(traits, {p0:String}) = {p1:Bool} AND JSONType(traits, {p2:String}) = 'Bool')",
    );
  });

  it('neq and not_in require a present, non-null value', () => {
    expect(filterOf({ trait: 'a', op: 'neq', value: 'x' }).query).toMatch(
      /^\(JSONType\(traits, \{p0:String\}\) != 'Null' AND NOT/,
    );
    expect(filterOf({ trait: 'a', op: 'not_in', value: ['x'] }).query).toMatch(
      /^\(JSONType\(traits, \{p0:String\}\) != 'Null' AND NOT/,
    );
  });

  it('in splits the list by type into typed array parameters', () => {
    const { query, params } = filterOf({ trait: 'a', op: 'in', value: ['x', 1, true, 'y', 2.5] });
    expect(query).toContain(
      "((has({p0:Array(String)}, JSONExtractString(traits, {p1:String})) AND JSONType(traits, {p2:String}) = 'String')",
    );
    expect(query).toContain(
      " OR (has({p3:Array(Float64)}, JSONExtractFloat(traits, {p4:String})) AND JSONType(traits, {p5:String}) IN ('Int64', 'UInt64', 'Double'))",
    );
    expect(query).toContain(
      " OR (has({p6:Array(Bool)}, JSONExtractBool(traits, {p7:String})) AND JSONType(traits, {p8:String}) = 'Bool'))",
    );
    expect([params.p0, params.p3, params.p6]).toEqual([['x', 'y'], [1, 2.5], [true]]);
  });

  it('contains/starts_with/ends_with lower both sides with lowerUTF8', () => {
    expect(filterOf({ trait: 'c', op: 'contains', value: 'ПЕТЕР' }).query).toContain(
      "(position(lowerUTF8(JSONExtractString(traits, {p0:String})), lowerUTF8({p1:String})) > 0 AND JSONType(traits, {p2:String}) = 'String')",
    );
    expect(filterOf({ trait: 'c', op: 'starts_with', value: 'a' }).query).toContain('startsWith(lowerUTF8(');
    expect(filterOf({ trait: 'c', op: 'ends_with', value: 'a' }).query).toContain('endsWith(lowerUTF8(');
    expect(filterOf({ trait: 'c', op: 'not_contains', value: 'a' }).query).toContain("= 'String' AND NOT (");
  });

  it('exists: present, non-null, not "", [] or {}', () => {
    const { query } = filterOf({ trait: 'c', op: 'exists' });
    expect(query).toContain(
      "multiIf(JSONType(traits, {p0:String}) = 'String', JSONExtractString(traits, {p1:String}) != ''",
    );
    expect(query).toContain("IN ('Array', 'Object'), JSONLength(");
    expect(filterOf({ trait: 'c', op: 'not_exists' }).query).toMatch(/^\(NOT multiIf/);
  });

  it('date operators parse ISO strings and compare with a bound instant', () => {
    const { query, params } = filterOf({ trait: 'signup', op: 'after', value: { days: 30 } });
    expect(query).toBe(
      "ifNull(if(JSONType(traits, {p0:String}) = 'String' AND match(JSONExtractString(traits, {p1:String}), {p2:String}), parseDateTime64BestEffortOrNull(JSONExtractString(traits, {p3:String}), 3, 'UTC'), NULL) > {p4:DateTime64(3, 'UTC')}, 0)",
    );
    expect(params).toEqual({
      p0: 'signup',
      p1: 'signup',
      p2: ISO_TIME_SOURCE,
      p3: 'signup',
      p4: '2025-05-16 12:00:00.000',
    });
    const within = filterOf({ trait: 's', op: 'within_last', value: { hours: 2 } });
    expect(within.values).toContain('2025-06-15 10:00:00.000');
    expect(within.values).toContain('2025-06-15 12:00:00.000');
    const between = filterOf({
      trait: 's',
      op: 'between',
      value: ['2025-01-01', '2025-02-01T10:00:00+03:00'],
    });
    expect(between.values).toContain('2025-02-01 07:00:00.000');
  });

  it('numeric between is inclusive', () => {
    expect(filterOf({ trait: 'age', op: 'between', value: [1, 2] }).query).toContain(
      '((JSONExtractFloat(traits, {p0:String}) BETWEEN {p1:Float64} AND {p2:Float64}) AND JSONType(',
    );
  });
});

describe('trait condition validation', () => {
  it.each([
    ['bad name', { trait: '1city', op: 'eq', value: 'x' }, ['/rule/trait']],
    ['quote in name', { trait: "city'", op: 'eq', value: 'x' }, ['/rule/trait']],
    ['name deeper than 8 levels', { trait: 'a.b.c.d.e.f.g.h.i', op: 'exists' }, ['/rule/trait']],
    ['empty segment', { trait: 'a..b', op: 'exists' }, ['/rule/trait']],
    ['unknown op', { trait: 'a', op: 'like', value: 'x' }, ['/rule/op']],
    ['gt with a string', { trait: 'a', op: 'gt', value: '5' }, ['/rule/value']],
    ['contains with a number', { trait: 'a', op: 'contains', value: 5 }, ['/rule/value']],
    ['eq with null', { trait: 'a', op: 'eq', value: null }, ['/rule/value']],
    ['eq with an object', { trait: 'a', op: 'eq', value: { x: 1 } }, ['/rule/value']],
    ['exists with a value', { trait: 'a', op: 'exists', value: 1 }, ['/rule/value']],
    ['in with a scalar', { trait: 'a', op: 'in', value: 'x' }, ['/rule/value']],
    ['in with an empty list', { trait: 'a', op: 'in', value: [] }, ['/rule/value']],
    ['in with a bad item', { trait: 'a', op: 'in', value: ['x', null] }, ['/rule/value/1']],
    [
      'in over 10,000 values',
      { trait: 'a', op: 'in', value: Array.from({ length: 10_001 }, (_, i) => i) },
      ['/rule/value'],
    ],
    ['between reversed', { trait: 'a', op: 'between', value: [5, 1] }, ['/rule/value']],
    ['between mixed', { trait: 'a', op: 'between', value: [1, '2025-01-01'] }, ['/rule/value']],
    ['before a bad date', { trait: 'a', op: 'before', value: '2025-02-30' }, ['/rule/value']],
    ['within_last with a date', { trait: 'a', op: 'within_last', value: '2025-01-01' }, ['/rule/value']],
    ['relative with two units', { trait: 'a', op: 'after', value: { days: 1, hours: 1 } }, ['/rule/value']],
    ['relative negative', { trait: 'a', op: 'after', value: { days: -1 } }, ['/rule/value/days']],
    ['unknown key', { trait: 'a', op: 'exists', extra: 1 }, ['/rule/extra']],
    ['NaN', { trait: 'a', op: 'gt', value: Number.NaN }, ['/rule/value']],
  ])('%s', (_name, input, paths) => {
    expect(pathsOf(input)).toEqual(paths);
  });

  it('accepts 8 levels, $ and _ in names, one parameter per level', () => {
    const { values } = filterOf({ trait: 'a.b.c.d.e.f.g.$h_1', op: 'exists' });
    expect(values.slice(0, 8)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', '$h_1']);
  });
});
