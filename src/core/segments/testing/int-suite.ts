/** Table-driven chDB tests: rule → the members worked out by hand from testing/dataset.ts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRule, type RuleContext } from '../compile-rule.ts';
import type { Rule } from '../rule-schema.ts';
import { type Chdb, openChdb } from './chdb-harness.ts';
import { DATASET, NOW, UNIVERSE, WS } from './dataset.ts';
import { evaluateRule } from './reference-evaluator.ts';

export type Case = [name: string, rule: Rule, expected: string[]];

export const minus = (...ids: string[]) => UNIVERSE.filter((id) => !ids.includes(id));

export const SEGMENTS: Record<string, Rule> = {
  seg_moscow: { trait: 'city', op: 'eq', value: 'Москва' },
  seg_buyers: { event: 'Order Completed' },
  seg_nested: { and: [{ segment: 'seg_buyers' }, { not: { segment: 'seg_moscow' } }] },
  seg_a: { segment: 'seg_b' },
  seg_b: { or: [{ trait: 'age', op: 'gt', value: 1 }, { segment: 'seg_a' }] },
};

export const CTX: RuleContext = { workspaceId: WS, now: NOW, resolveSegment: (id) => SEGMENTS[id] };

/** Profiles with an "Order Completed" event in ws_a. */
export const BUYERS = ['p01', 'p02', 'p03', 'p05', 'p06', 'p09', 'p10', 'p12'];

/**
 * Loads the dataset into a fresh chDB (own temp path) and checks every case against both the
 * expected members and the reference evaluator. `more` adds tests that use the same database.
 */
export function describeMembers(
  title: string,
  groups: Record<string, Case[]>,
  more?: (db: () => Chdb) => void,
): void {
  describe(title, () => {
    let db: Chdb;
    beforeAll(async () => {
      db = await openChdb();
      await db.load(DATASET);
    });
    afterAll(async () => {
      await db?.close();
    });
    for (const [group, cases] of Object.entries(groups)) {
      describe(group, () => {
        it.each(cases)('%s', async (_name, rule, expected) => {
          expect(await db.members(compileRule(rule, CTX))).toEqual([...expected].sort());
          expect([...evaluateRule(rule, DATASET, CTX)].sort()).toEqual([...expected].sort());
        });
      });
    }
    more?.(() => db);
  });
}
