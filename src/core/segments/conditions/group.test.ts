import { describe, expect, it } from 'vitest';
import { filterOf } from '../testing/unit.ts';

describe('group SQL', () => {
  it('and / or / not combine 0/1 parts', () => {
    const a = { trait: 'a', op: 'exists' };
    const b = { reachable: 'sms' };
    expect(filterOf({ and: [a, a] }).query).toMatch(/^\(\(multiIf\(.*\)\) AND \(multiIf\(.*\)\)\)$/);
    expect(filterOf({ or: [a, b] }).query).toMatch(/^\(\(multiIf\(.*\)\) OR \(arrayExists/);
    expect(filterOf({ not: a }).query).toMatch(/^\(NOT \(multiIf\(/);
    expect(filterOf({ not: { not: a } }).query).toMatch(/^\(NOT \(NOT \(multiIf\(/);
  });
});
