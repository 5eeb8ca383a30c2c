import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRule, type RuleContext } from './compile-rule.ts';
import type { Rule } from './rule-schema.ts';
import { type ConditionKind, conditionArbs, hostileString, ruleArb } from './testing/arbitraries.ts';
import { type Chdb, openChdb } from './testing/chdb-harness.ts';
import { DATASET, NOW, WS } from './testing/dataset.ts';
import { evaluateRule } from './testing/reference-evaluator.ts';

/** Saved segments random rules may reference (acyclic). */
const SEGMENTS: Record<string, Rule> = {
  seg_moscow: { trait: 'city', op: 'eq', value: 'Москва' },
  seg_buyers: { event: 'Order Completed', within: { days: 30 } },
  seg_mixed: { or: [{ segment: 'seg_moscow' }, { not: { segment: 'seg_buyers' } }, { rfm: 'at_risk' }] },
};

const ctxArb: fc.Arbitrary<RuleContext> = fc
  .record({
    // Shift "now" by up to ±3 days so window edges move across the dataset's events.
    shiftMinutes: fc.integer({ min: -3 * 24 * 60, max: 3 * 24 * 60 }),
    rfm: fc.constantFrom(undefined, { purchaseEvent: 'Product Viewed', revenueProperty: 'price' }),
  })
  .map(({ shiftMinutes, rfm }) => ({
    workspaceId: WS,
    now: new Date(NOW.getTime() + shiftMinutes * 60_000),
    resolveSegment: (id: string) => SEGMENTS[id],
    ...(rfm && { rfm }),
  }));

describe('compiled rules on chDB equal the reference evaluator', () => {
  let db: Chdb;
  beforeAll(async () => {
    db = await openChdb();
    await db.load(DATASET);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('for random valid rules', async () => {
    const sizes = new Set<number>();
    await fc.assert(
      fc.asyncProperty(ruleArb({ segments: Object.keys(SEGMENTS) }), ctxArb, async (rule, ctx) => {
        const actual = await db.members(compileRule(rule, ctx));
        const expected = [...evaluateRule(rule, DATASET, ctx)].sort();
        sizes.add(expected.length);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 300 },
    );
    // The generator must produce varied member sets, not only "nobody" and "everybody".
    expect(sizes.size).toBeGreaterThan(6);
  });

  const kinds = conditionArbs({ segments: Object.keys(SEGMENTS) });
  const runs: Record<ConditionKind, number> = {
    trait: 400,
    builtin: 100,
    did: 200,
    aggregate: 200,
    sequence: 100,
    rfm: 60,
    reachable: 20,
    segment: 20,
  };
  it.each(Object.keys(runs) as ConditionKind[])('for random %s conditions', async (kind) => {
    await fc.assert(
      fc.asyncProperty(kinds[kind], ctxArb, async (rule, ctx) => {
        expect(await db.members(compileRule(rule, ctx))).toEqual(
          [...evaluateRule(rule, DATASET, ctx)].sort(),
        );
      }),
      { numRuns: runs[kind] },
    );
  });

  it('for single conditions when now puts a dataset instant exactly on a window edge', async () => {
    const instants = [
      ...DATASET.events.map((e) => e.timestamp),
      ...DATASET.profiles.flatMap((p) => [p.first_seen, p.last_seen]),
      Date.parse('2025-06-01T10:00:00Z'),
    ];
    const HOUR = 3_600_000;
    const edges = fc
      .tuple(
        fc.constantFrom(...instants),
        fc.constantFrom(0, 1, 2, 3, 5, 7, 10, 14, 15, 30, 45, 60, 90),
        fc.boolean(),
      )
      .map(([t, n, hours]) => new Date(t + n * (hours ? HOUR : 24 * HOUR)));
    await fc.assert(
      fc.asyncProperty(ruleArb({ maxDepth: 0 }), edges, async (rule, now) => {
        const ctx: RuleContext = { workspaceId: WS, now };
        expect(await db.members(compileRule(rule, ctx))).toEqual(
          [...evaluateRule(rule, DATASET, ctx)].sort(),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('for rules whose strings and event names are hostile', async () => {
    const hostileRules = ruleArb({
      strings: hostileString,
      events: hostileString,
      segments: Object.keys(SEGMENTS),
    });
    await fc.assert(
      fc.asyncProperty(hostileRules, ctxArb, async (rule, ctx) => {
        expect(await db.members(compileRule(rule, ctx))).toEqual(
          [...evaluateRule(rule, DATASET, ctx)].sort(),
        );
      }),
      { numRuns: 100 },
    );
  });
});
