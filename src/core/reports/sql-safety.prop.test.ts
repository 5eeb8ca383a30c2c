/**
 * Whatever a spec holds, values and names reach ClickHouse only as bound parameters: the SQL text
 * of every report kind never contains the strings of the spec.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../sql.ts';
import { planReport, REPORT_KINDS, validateSpec } from './index.ts';

const hostile = fc.oneof(
  fc.constantFrom("x'; DROP TABLE events; --", '`) OR 1=1 --', '{evil:String}', "\\'", 'Пётр"\n'),
  fc.string({ minLength: 6, maxLength: 30 }).map((s) => `zz${s}'"`),
);

function specFor(kind: (typeof REPORT_KINDS)[number], s: string): Record<string, unknown> {
  const base = {
    from: '2026-01-01',
    to: '2026-02-01',
    segmentId: s,
    filters: [
      { property: 'utm_source', op: 'eq', value: s },
      { trait: 'city', op: 'in', value: [s, 3] },
      { property: 'title', op: 'contains', value: s },
    ],
    breakdown: { segment: [s] },
  };
  switch (kind) {
    case 'funnel':
      return {
        ...base,
        steps: [{ event: s }, { event: s, where: [{ property: 'p', op: 'neq', value: s }] }],
      };
    case 'retention':
      return { ...base, cohortEvent: s, returnEvent: s };
    case 'rfm':
      return { ...base, purchaseEvent: s };
    case 'paths':
      return { ...base, start: s };
    case 'attribution':
      return { ...base, conversionEvent: s };
    case 'revenue':
      return { ...base, orderEvent: s };
    case 'subscriptions':
      return { ...base, plan: s };
    default:
      return base;
  }
}

describe('report SQL', () => {
  it('never carries spec strings in its text', () => {
    fc.assert(
      fc.property(hostile, fc.constantFrom(...REPORT_KINDS), (s, kind) => {
        const plan = planReport(validateSpec(kind, specFor(kind, s)), `ws_${s}`);
        const bound: unknown[] = [];
        for (const q of Object.values(plan.queries)) {
          const { query, params } = compile(q);
          expect(query).not.toContain(s);
          bound.push(...Object.values(params).flat());
        }
        expect(bound).toContain(s);
      }),
      { numRuns: 60 },
    );
  });
});
