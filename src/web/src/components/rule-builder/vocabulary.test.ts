import { describe, expect, it } from 'vitest';
import { RFM_CELL_NAMES as CORE_CELLS } from '../../../../core/segments/rfm-cells.ts';
import * as core from '../../../../core/segments/rule-constants.ts';
import { validateRule } from '../../../../core/segments/validate-rule.ts';
import * as v from './vocabulary.ts';

describe('the builder’s vocabulary', () => {
  it('equals the compiler’s', () => {
    expect(v.VALUE_OPS).toEqual(core.VALUE_OPS);
    expect(v.NUMBER_OPS).toEqual(core.NUMBER_OPS);
    expect(v.BUILTIN_TRAITS).toEqual(core.BUILTIN_TRAITS);
    expect(v.TIME_BUILTIN_OPS).toEqual(core.TIME_BUILTIN_OPS);
    expect(v.IDENTIFIER_OPS).toEqual(core.IDENTIFIER_OPS);
    expect(v.AGGREGATE_FNS).toEqual(core.AGGREGATE_FNS);
    expect(v.CHANNELS).toEqual(core.CHANNELS);
    expect([...v.RFM_CELL_NAMES].sort()).toEqual([...CORE_CELLS].sort());
  });

  it('starts each kind with a condition the validator accepts once names are filled', () => {
    const filled = (c: v.JsonObject): v.JsonObject =>
      JSON.parse(
        JSON.stringify(c).replaceAll('""', '"Signup"').replace('"segment":"Signup"', '"segment":"seg_x"'),
      );
    for (const kind of v.NEW_CONDITIONS) {
      const cond = filled(v.newCondition(kind));
      expect(() => validateRule(cond), kind).not.toThrow();
      expect(v.conditionKind(cond), kind).toBe(kind === 'didNot' ? 'did' : kind);
    }
  });

  it('keeps every operator of every trait valid when switched to it', () => {
    for (const trait of ['city', 'address.city', ...v.BUILTIN_TRAITS]) {
      const start = trait.startsWith('$')
        ? v.withBuiltin(
            { trait: '$lastSeen', op: 'within_last', value: { days: 30 } },
            trait as v.BuiltinTrait,
          )
        : { trait, op: 'eq', value: 'x' };
      for (const op of v.traitOps(trait)) {
        const cond = v.withOp(start, op, trait === '$eventCount');
        // Values a user still has to fill (empty range ends) are not the point here.
        const value = v.valueShape(op) === 'range' && !trait.startsWith('$') ? [1, 2] : cond.value;
        const empty = value === '' || (Array.isArray(value) && value.length === 0);
        const filled = empty ? (v.valueShape(op) === 'list' ? ['email'] : 'email') : value;
        const rule = filled === undefined ? cond : { ...cond, value: filled };
        if (trait.startsWith('$') && op === 'between' && trait !== '$eventCount')
          (rule as v.JsonObject).value = ['2024-01-01', '2024-12-31'];
        expect(() => validateRule(rule), `${trait} ${op} ${JSON.stringify(rule)}`).not.toThrow();
      }
    }
  });

  it('keeps a value that fits the new operator and converts plain ones', () => {
    expect(v.valueForOp('in', 'Москва')).toEqual(['Москва']);
    expect(v.valueForOp('eq', ['a', 'b'])).toBe('a');
    expect(v.valueForOp('gt', '12')).toBe(12);
    expect(v.valueForOp('exists', 'x')).toBeUndefined();
    expect(v.valueForOp('before', '2024-05-01')).toBe('2024-05-01');
    expect(v.valueForOp('within_last', '2024-05-01')).toEqual({ days: 30 });
    expect(v.valueForOp('within_last', { hours: 6 })).toEqual({ hours: 6 });
    expect(v.valueForOp('between', 5, true)).toEqual([5, 5]);
    expect(v.withOp({ trait: 'a', op: 'eq', value: 1 }, 'exists')).toEqual({ trait: 'a', op: 'exists' });
  });

  it('restricts built-ins to their operators', () => {
    expect(v.traitOps('$eventCount')).toEqual(core.NUMBER_OPS);
    expect(v.traitOps('$firstSeen')).toEqual(core.TIME_BUILTIN_OPS);
    expect(v.withBuiltin({ trait: '$lastSeen', op: 'before', value: { days: 3 } }, '$eventCount')).toEqual({
      trait: '$eventCount',
      op: 'eq',
      value: 0,
    });
  });
});
