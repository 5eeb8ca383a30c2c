import { describe, expect, it } from 'vitest';
import { filterOf, pathsOf } from '../testing/unit.ts';

describe('built-in condition SQL', () => {
  it('$firstSeen / $lastSeen compare the profile columns', () => {
    const first = filterOf({ trait: '$firstSeen', op: 'before', value: { days: 1 } });
    expect(first.query).toBe("ifNull(first_seen < {p0:DateTime64(3, 'UTC')}, 0)");
    expect(first.params).toEqual({ p0: '2025-06-14 12:00:00.000' });
    expect(filterOf({ trait: '$lastSeen', op: 'between', value: ['2025-01-01', '2025-02-01'] }).query).toBe(
      "ifNull(last_seen >= {p0:DateTime64(3, 'UTC')} AND last_seen <= {p1:DateTime64(3, 'UTC')}, 0)",
    );
  });

  it('$eventCount counts all events of the profile; a count 0 satisfies is NOT IN', () => {
    const some = filterOf({ trait: '$eventCount', op: 'gte', value: 3 });
    expect(some.query).toMatch(
      /^\(sipHash128\(profile_id\) IN \(SELECT sipHash128\(pid\) FROM \(SELECT .* FROM events WHERE/,
    );
    expect(some.query).toContain('countState() AS st0 FROM events WHERE workspace_id = {p0:String} GROUP BY');
    expect(some.query).toMatch(/GROUP BY pid HAVING \(v >= \{p\d+:Float64\}\)\)\)\)$/);
    expect(some.query).not.toContain('event =');
    const none = filterOf({ trait: '$eventCount', op: 'eq', value: 0 });
    expect(none.query).toMatch(/^\(sipHash128\(profile_id\) NOT IN \(SELECT sipHash128\(pid\) FROM \(/);
    expect(none.query).toMatch(/HAVING NOT \(v = \{p\d+:Float64\}\)\)\)\)$/);
  });

  it('$identifiers reads identifier_types', () => {
    expect(filterOf({ trait: '$identifiers', op: 'contains', value: 'email' })).toMatchObject({
      query: 'has(identifier_types, {p0:String})',
      params: { p0: 'email' },
    });
    expect(filterOf({ trait: '$identifiers', op: 'not_in', value: ['a', 'b'] }).query).toBe(
      '(NOT hasAny(identifier_types, {p0:Array(String)}))',
    );
    expect(filterOf({ trait: '$identifiers', op: 'exists' }).query).toBe('notEmpty(identifier_types)');
    expect(filterOf({ trait: '$identifiers', op: 'not_exists' }).query).toBe('empty(identifier_types)');
  });
});

describe('built-in condition validation', () => {
  it.each([
    ['$firstSeen with eq', { trait: '$firstSeen', op: 'eq', value: 1 }, ['/rule/op']],
    ['$lastSeen between numbers', { trait: '$lastSeen', op: 'between', value: [1, 2] }, ['/rule/value']],
    ['$eventCount negative', { trait: '$eventCount', op: 'gte', value: -1 }, ['/rule/value']],
    ['$eventCount fraction', { trait: '$eventCount', op: 'gte', value: 1.5 }, ['/rule/value']],
    ['$eventCount contains', { trait: '$eventCount', op: 'contains', value: 1 }, ['/rule/op']],
    ['$identifiers gt', { trait: '$identifiers', op: 'gt', value: 1 }, ['/rule/op']],
    ['$identifiers bad type', { trait: '$identifiers', op: 'contains', value: 'e mail' }, ['/rule/value']],
    [
      '$identifiers bad list item',
      { trait: '$identifiers', op: 'in', value: ['email', 5] },
      ['/rule/value/1'],
    ],
    ['unknown key', { trait: '$eventCount', op: 'eq', value: 1, within: { days: 1 } }, ['/rule/within']],
  ])('%s', (_name, input, paths) => {
    expect(pathsOf(input)).toEqual(paths);
  });
});
