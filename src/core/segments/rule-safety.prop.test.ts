import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { compile } from '../sql.ts';
import { compileRule, type RuleContext } from './compile-rule.ts';
import type { Rule } from './rule-schema.ts';
import { hostileString as hostile, NASTY, ruleArb } from './testing/arbitraries.ts';
import { validateRule } from './validate-rule.ts';

const SLOT = '\u0001slot\u0001';
const EVENT_SLOT = '\u0001event\u0001';

/** Replaces the n-th slot string (in walk order) with fill(n). */
function fillSlots(value: unknown, fill: (n: number) => string, counter = { n: 0 }): unknown {
  if (value === SLOT || value === EVENT_SLOT) return fill(counter.n++);
  if (Array.isArray(value)) return value.map((v) => fillSlots(v, fill, counter));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillSlots(v, fill, counter)]));
  }
  return value;
}

const template = ruleArb({ strings: fc.constant(SLOT), events: fc.constant(EVENT_SLOT), maxDepth: 3 });
const ctx = (purchaseEvent: string, workspaceId: string): RuleContext => ({
  workspaceId,
  now: new Date('2025-06-15T12:00:00Z'),
  rfm: { purchaseEvent },
});

/** Every string a parameter carries, arrays flattened. */
function paramStrings(params: Record<string, unknown>): string[] {
  return Object.values(params)
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .filter((v): v is string => typeof v === 'string');
}

const nasty = fc.constantFrom(...NASTY);

describe('hostile names and values', () => {
  it('never appear in the SQL text and never change its shape', () => {
    fc.assert(
      fc.property(
        template,
        fc.array(hostile, { minLength: 64, maxLength: 64 }),
        fc.array(hostile, { minLength: 64, maxLength: 64 }),
        (rule, first, second) => {
          const a = fillSlots(rule, (n) => first[n % 64]) as Rule;
          const b = fillSlots(rule, (n) => second[n % 64]) as Rule;
          const sqlA = compile(compileRule(a, ctx(first[63], first[62])));
          const sqlB = compile(compileRule(b, ctx(second[63], second[62])));
          expect(sqlA.query).toBe(sqlB.query);
          expect(Object.keys(sqlA.params)).toEqual(Object.keys(sqlB.params));
          for (const piece of ['DROP', '1=1', '😀', '\u0000', '\\', '"', '`', '\u202e', 'ПЕТЕР', first[62]]) {
            expect(sqlA.query).not.toContain(piece);
          }
          const carried = paramStrings(sqlA.params);
          expect(carried).toContain(first[62]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('every hostile value used in a rule travels as a parameter', () => {
    fc.assert(
      fc.property(template, fc.array(hostile, { minLength: 64, maxLength: 64 }), (rule, values) => {
        const used: string[] = [];
        const filled = fillSlots(rule, (n) => {
          used.push(values[n % 64]);
          return values[n % 64];
        }) as Rule;
        const { query, params } = compile(compileRule(filled, ctx('Order Completed', 'ws')));
        const carried = paramStrings(params);
        for (const s of used) {
          expect(carried).toContain(s);
          expect(query).not.toContain(s);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('hostile trait and property names are rejected at their path', () => {
    const badName = fc.tuple(fc.string({ maxLength: 8 }), nasty).map(([s, n]) => `${s}${n}`);
    fc.assert(
      fc.property(badName, fc.constantFrom('trait', 'where', 'aggregate'), (name, where) => {
        const rule =
          where === 'trait'
            ? { and: [{ trait: name, op: 'exists' }] }
            : where === 'where'
              ? { and: [{ event: 'x', where: [{ property: name, op: 'exists' }] }] }
              : { and: [{ event: 'x', aggregate: { fn: 'sum', property: name }, op: 'gt', value: 1 }] };
        const expected = {
          trait: '/rule/and/0/trait',
          where: '/rule/and/0/where/0/property',
          aggregate: '/rule/and/0/aggregate/property',
        }[where];
        expect(() => validateRule(rule)).toThrow(ValidationError);
        try {
          compileRule(rule as Rule, ctx('Order Completed', 'ws'));
        } catch (e) {
          expect((e as ValidationError).details.map((d) => d.path)).toEqual([expected]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('valid names are bound, never written into the SQL', () => {
    const name = fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,12}$/).map((s) => `zq${s}`);
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 3 }), name, (levels, property) => {
        const trait = levels.join('.');
        const rule: Rule = {
          or: [
            { trait, op: 'exists' },
            { event: null, where: [{ property, op: 'eq', value: 1 }] },
          ],
        };
        const { query, params } = compile(compileRule(rule, ctx('Order Completed', 'ws')));
        for (const n of [...levels, property]) expect(query).not.toContain(n);
        expect(Object.values(params)).toEqual(expect.arrayContaining([...levels, property]));
      }),
      { numRuns: 300 },
    );
  });
});
