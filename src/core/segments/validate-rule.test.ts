import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { MAX_CONDITIONS, MAX_DEPTH } from './rule-constants.ts';
import { pathsOf } from './testing/unit.ts';
import { validateRule } from './validate-rule.ts';

const leaf = { trait: 'a', op: 'exists' };

function nested(depth: number): unknown {
  let rule: unknown = leaf;
  for (let i = 1; i < depth; i++) rule = { not: rule };
  return rule;
}

describe('validateRule', () => {
  it('returns the rule typed, unchanged', () => {
    const rule = {
      and: [{ trait: 'a', op: 'eq', value: 1 }, { or: [{ event: null }, { not: { rfm: 'lost' } }] }],
    };
    expect(validateRule(structuredClone(rule))).toEqual(rule);
  });

  it('throws a ValidationError listing every problem with its path', () => {
    const input = {
      and: [{ trait: 'a b', op: 'eq', value: 1 }, { or: [{ event: '' }, { not: { rfm: 'x' } }] }, 5],
    };
    try {
      validateRule(input);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      const err = e as ValidationError;
      expect(err.status).toBe(400);
      expect(err.code).toBe('validation_failed');
      expect(err.details.map((d) => d.path)).toEqual([
        '/rule/and/0/trait',
        '/rule/and/1/or/0/event',
        '/rule/and/1/or/1/not/rfm',
        '/rule/and/2',
      ]);
      expect(err.message).toContain('/rule/and/0/trait');
    }
  });

  it.each([
    ['not an object', 'city = 1', ['/rule']],
    ['null', null, ['/rule']],
    ['no kind key', { op: 'eq', value: 1 }, ['/rule']],
    ['empty and', { and: [] }, ['/rule/and']],
    ['or not a list', { or: leaf }, ['/rule/or']],
    ['not of a list', { not: [leaf] }, ['/rule/not']],
    ['extra key next to a group', { and: [leaf], trait: 'x' }, ['/rule/trait']],
    ['two kinds at once', { trait: 'a', op: 'exists', event: 'x' }, ['/rule/event']],
    ['key with a slash is escaped', { trait: 'a', op: 'exists', 'a/b~': 1 }, ['/rule/a~1b~0']],
  ])('%s', (_name, input, paths) => {
    expect(pathsOf(input)).toEqual(paths);
  });

  it(`allows depth ${MAX_DEPTH} and reports the first node deeper`, () => {
    expect(() => validateRule(nested(MAX_DEPTH))).not.toThrow();
    expect(pathsOf(nested(MAX_DEPTH + 1))).toEqual([`/rule${'/not'.repeat(MAX_DEPTH)}`]);
  });

  it(`allows ${MAX_CONDITIONS} conditions and reports the next one`, () => {
    expect(() => validateRule({ and: Array.from({ length: MAX_CONDITIONS }, () => leaf) })).not.toThrow();
    expect(pathsOf({ and: Array.from({ length: MAX_CONDITIONS + 5 }, () => leaf) })).toEqual([
      `/rule/and/${MAX_CONDITIONS}`,
    ]);
    const filters = Array.from({ length: MAX_CONDITIONS }, () => ({ property: 'p', op: 'exists' }));
    expect(pathsOf({ and: [leaf, { event: 'x', where: filters }] })).toEqual([
      `/rule/and/1/where/${MAX_CONDITIONS - 2}`,
    ]);
  });

  it('uses the base path it is given', () => {
    expect(() => validateRule({ trait: '' }, '/segments/0/rule')).toThrow(/\/segments\/0\/rule\/trait/);
  });
});
