import { describe, expect, it } from 'vitest';
import type { RuleContext } from '../compile-rule.ts';
import { MAX_EXPANDED_CONDITIONS } from '../rule-constants.ts';
import type { Rule } from '../rule-schema.ts';
import { CTX, errorsOf, filterOf, pathsOf } from '../testing/unit.ts';

function withSegments(segments: Record<string, unknown>, more: Partial<RuleContext> = {}): RuleContext {
  return { ...CTX, resolveSegment: (id) => segments[id] as Rule | undefined, ...more };
}

describe('segment reference SQL', () => {
  it('expands the referenced rule in place', () => {
    const ctx = withSegments({ seg_vip: { trait: 'vip', op: 'eq', value: true } });
    const { query, params } = filterOf(
      { and: [{ segment: 'seg_vip' }, { trait: 'age', op: 'gt', value: 1 }] },
      ctx,
    );
    expect(query).toBe(
      "(((JSONExtractBool(traits, {p0:String}) = {p1:Bool} AND JSONType(traits, {p2:String}) = 'Bool')) AND (JSONExtractFloat(traits, {p3:String}) > {p4:Float64} AND JSONType(traits, {p5:String}) IN ('Int64', 'UInt64', 'Double')))",
    );
    expect(params.p0).toBe('vip');
  });

  it('expands references of references', () => {
    const ctx = withSegments({ seg_a: { not: { segment: 'seg_b' } }, seg_b: { reachable: 'sms' } });
    expect(filterOf({ segment: 'seg_a' }, ctx).values).toContain('phone');
  });
});

describe('segment reference errors', () => {
  const paths = (rule: unknown, ctx: RuleContext) => errorsOf(() => filterOf(rule, ctx));

  it('a cycle is reported at the reference in the rule being compiled', () => {
    const ctx = withSegments({ seg_a: { segment: 'seg_b' }, seg_b: { and: [{ segment: 'seg_a' }] } });
    const [detail] = paths({ or: [{ trait: 'x', op: 'exists' }, { segment: 'seg_a' }] }, ctx);
    expect(detail.path).toBe('/rule/or/1/segment');
    expect(detail.message).toContain('seg_a → seg_b → seg_a');
  });

  it('a reference to the segment being saved is a cycle', () => {
    const ctx = withSegments({ seg_b: { segment: 'seg_self' } }, { segmentId: 'seg_self' });
    expect(paths({ not: { segment: 'seg_b' } }, ctx)).toEqual([
      { path: '/rule/not/segment', message: 'segment reference cycle: seg_self → seg_b → seg_self' },
    ]);
  });

  it('unknown segment, no resolver, invalid referenced rule', () => {
    expect(paths({ segment: 'seg_x' }, withSegments({}))[0]).toEqual({
      path: '/rule/segment',
      message: 'segment seg_x not found',
    });
    expect(paths({ and: [{ segment: 'seg_x' }] }, CTX)[0].path).toBe('/rule/and/0/segment');
    const bad = paths(
      { segment: 'seg_bad' },
      withSegments({ seg_bad: { trait: 'a', op: 'gt', value: 'x' } }),
    )[0];
    expect(bad.path).toBe('/rule/segment');
    expect(bad.message).toContain('/segments/seg_bad/rule/value');
  });

  it('limits the expanded size', () => {
    const wide = { or: Array.from({ length: 150 }, () => ({ trait: 'a', op: 'exists' })) };
    const refs = { and: Array.from({ length: 20 }, () => ({ segment: 'seg_wide' })) };
    const [detail] = paths(refs, withSegments({ seg_wide: wide }));
    expect(detail.path).toMatch(/^\/rule\/and\/\d+\/segment$/);
    expect(detail.message).toContain(String(MAX_EXPANDED_CONDITIONS));
  });
});

describe('segment validation', () => {
  it.each([
    ['not an id', { segment: 'vip' }, ['/rule/segment']],
    ['a number', { segment: 5 }, ['/rule/segment']],
    ['unknown key', { segment: 'seg_a', version: 2 }, ['/rule/version']],
  ])('%s', (_name, input, expected) => {
    expect(pathsOf(input)).toEqual(expected);
  });
});
