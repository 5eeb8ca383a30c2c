import { expect, it } from 'vitest';
import { compile } from '../sql.ts';
import { compileRule, type RuleContext } from './compile-rule.ts';
import type { Rule } from './rule-schema.ts';
import { DATASET } from './testing/dataset.ts';
import { BUYERS, type Case, CTX, describeMembers, minus } from './testing/int-suite.ts';
import { evaluateRule } from './testing/reference-evaluator.ts';

const didCases: Case[] = [
  ['did (aliases map merged profiles; deleted excluded)', { event: 'Order Completed' }, BUYERS],
  [
    'did not: includes profiles without events',
    { event: 'Order Completed', count: { op: 'eq', value: 0 } },
    ['p04', 'p08', 'p11', 'p13'],
  ],
  [
    'count gte within days',
    { event: 'Order Completed', count: { op: 'gte', value: 2 }, within: { days: 30 } },
    ['p01', 'p10'],
  ],
  [
    'count lt includes zero',
    { event: 'Order Completed', count: { op: 'lt', value: 2 }, within: { days: 30 } },
    minus('p01', 'p10'),
  ],
  [
    'count neq',
    { event: 'Order Completed', count: { op: 'neq', value: 1 } },
    ['p01', 'p02', 'p04', 'p08', 'p09', 'p10', 'p11', 'p13'],
  ],
  ['count between', { event: 'Page Viewed', count: { op: 'between', value: [2, 3] } }, ['p08', 'p10', 'p11']],
  [
    'where gt',
    { event: 'Order Completed', where: [{ property: 'revenue', op: 'gt', value: 60 }] },
    ['p01', 'p05', 'p06'],
  ],
  [
    'where eq is case-strict',
    { event: 'Order Completed', where: [{ property: 'currency', op: 'eq', value: 'USD' }] },
    ['p01', 'p02'],
  ],
  [
    'where contains with count',
    {
      event: 'Order Completed',
      count: { op: 'gte', value: 2 },
      where: [{ property: 'currency', op: 'contains', value: 'us' }],
    },
    ['p01', 'p02'],
  ],
  ['any event within hours', { event: null, within: { hours: 36 } }, ['p01', 'p03', 'p11']],
  [
    'within from/to',
    { event: 'Order Completed', within: { from: '2025-06-01', to: '2025-06-10' } },
    ['p01', 'p10', 'p12'],
  ],
  [
    'hostile value is a parameter',
    { event: 'Signed Up', where: [{ property: 'method', op: 'eq', value: "O'Reilly \\ email" }] },
    ['p03'],
  ],
  [
    'where not_exists (null property)',
    { event: 'Order Completed', where: [{ property: 'coupon', op: 'not_exists' }] },
    BUYERS,
  ],
  ['where exists', { event: 'Order Completed', where: [{ property: 'coupon', op: 'exists' }] }, []],
  [
    'where nested property',
    { event: 'Product Viewed', where: [{ property: 'product.category', op: 'eq', value: 'Shoes' }] },
    ['p01', 'p03', 'p06'],
  ],
];

const aggregateCases: Case[] = [
  [
    'sum of numbers',
    { event: 'Order Completed', aggregate: { fn: 'sum', property: 'revenue' }, op: 'gt', value: 300 },
    ['p01', 'p05'],
  ],
  [
    'sum is 0 without events',
    {
      event: 'Order Completed',
      aggregate: { fn: 'sum', property: 'revenue' },
      op: 'lt',
      value: 50,
      within: { days: 90 },
    },
    ['p02', 'p03', 'p04', 'p05', 'p08', 'p10', 'p11', 'p12', 'p13'],
  ],
  [
    'avg',
    { event: 'Order Completed', aggregate: { fn: 'avg', property: 'revenue' }, op: 'gte', value: 100 },
    ['p01', 'p05'],
  ],
  [
    'min',
    { event: 'Order Completed', aggregate: { fn: 'min', property: 'revenue' }, op: 'lte', value: 10 },
    ['p09', 'p12'],
  ],
  [
    'max between',
    {
      event: 'Order Completed',
      aggregate: { fn: 'max', property: 'revenue' },
      op: 'between',
      value: [60, 300],
    },
    ['p01', 'p06'],
  ],
  ['count', { event: 'Order Completed', aggregate: { fn: 'count' }, op: 'eq', value: 2 }, ['p02', 'p10']],
  [
    'count of a property',
    { event: 'Order Completed', aggregate: { fn: 'count', property: 'revenue' }, op: 'eq', value: 3 },
    ['p01', 'p09'],
  ],
  [
    'count of a null property',
    { event: 'Order Completed', aggregate: { fn: 'count', property: 'coupon' }, op: 'gte', value: 1 },
    [],
  ],
  [
    'count_distinct',
    {
      event: 'Order Completed',
      aggregate: { fn: 'count_distinct', property: 'currency' },
      op: 'gte',
      value: 2,
    },
    ['p01', 'p02'],
  ],
  [
    'count_distinct is type-strict',
    {
      event: 'Order Completed',
      aggregate: { fn: 'count_distinct', property: 'revenue' },
      op: 'eq',
      value: 2,
    },
    ['p02', 'p09', 'p10'],
  ],
  ['any event', { event: null, aggregate: { fn: 'count' }, op: 'gte', value: 5 }, ['p01', 'p10']],
  [
    'sum with where',
    {
      event: 'Product Viewed',
      aggregate: { fn: 'sum', property: 'price' },
      op: 'gte',
      value: 70,
      where: [{ property: 'product.category', op: 'eq', value: 'Shoes' }],
    },
    ['p01', 'p06'],
  ],
  [
    'avg needs a number',
    { event: 'Product Viewed', aggregate: { fn: 'avg', property: 'price' }, op: 'gt', value: -1 },
    ['p01', 'p02', 'p06', 'p10'],
  ],
];

const sequenceCases: Case[] = [
  [
    'in order within 7 days (strictly later; aliases)',
    { sequence: [{ event: 'Product Viewed' }, { event: 'Order Completed' }], within: { days: 7 } },
    ['p01', 'p02', 'p03', 'p06'],
  ],
  [
    'reverse order',
    { sequence: [{ event: 'Order Completed' }, { event: 'Product Viewed' }] },
    ['p01', 'p02', 'p10'],
  ],
  [
    'same event twice needs two events',
    { sequence: [{ event: 'Page Viewed' }, { event: 'Page Viewed' }] },
    ['p08', 'p11'],
  ],
  [
    'any event then a filtered step',
    {
      sequence: [
        { event: null },
        { event: 'Order Completed', where: [{ property: 'revenue', op: 'gte', value: 100 }] },
      ],
    },
    ['p01'],
  ],
  [
    'three filtered steps',
    {
      sequence: [
        { event: 'Page Viewed', where: [{ property: 'path', op: 'eq', value: '/a' }] },
        { event: 'Page Viewed', where: [{ property: 'path', op: 'eq', value: '/b' }] },
        { event: 'Page Viewed', where: [{ property: 'path', op: 'eq', value: '/a' }] },
      ],
    },
    ['p08'],
  ],
];

// Scores (r,f,m): p01 4,5,4  p02 3,3,2  p03 5,1,1  p05 1,1,5  p06 4,1,3  p09 1,3,4  p10 2,3,2  p12 2,1,1
const rfmCases: Case[] = [
  ['loyal', { rfm: 'loyal' }, ['p01']],
  ['at_risk', { rfm: 'at_risk' }, ['p09', 'p10']],
  ['champions', { rfm: 'champions' }, []],
  ['lost', { rfm: 'lost' }, ['p05']],
  ['new_customers', { rfm: 'new_customers' }, ['p03']],
  ['promising', { rfm: 'promising' }, ['p06']],
  ['need_attention', { rfm: 'need_attention' }, ['p02']],
  ['hibernating', { rfm: 'hibernating' }, ['p12']],
  ['r scores', { rfm: { r: [4, 5] } }, ['p01', 'p03', 'p06']],
  ['m scores', { rfm: { m: [4, 5] } }, ['p01', 'p05', 'p09']],
  ['r and f', { rfm: { r: [1, 2], f: [3, 5] } }, ['p09', 'p10']],
  ['f and m', { rfm: { f: [3, 5], m: [2, 3] } }, ['p02', 'p10']],
];

describeMembers('event conditions on chDB', { didCases, aggregateCases, sequenceCases, rfmCases }, (db) => {
  it('RFM inputs come from the context', async () => {
    const custom: RuleContext = {
      ...CTX,
      rfm: { purchaseEvent: 'Product Viewed', revenueProperty: 'price' },
    };
    const rule: Rule = { rfm: { m: [5, 5] } };
    expect(await db().members(compileRule(rule, custom))).toEqual(['p01']);
    expect([...evaluateRule(rule, DATASET, custom)]).toEqual(['p01']);
  });

  it.each<[string, Rule]>([
    ['did in a window', { event: 'Order Completed', count: { op: 'gte', value: 2 }, within: { days: 30 } }],
    [
      'revenue sum',
      { event: 'Order Completed', aggregate: { fn: 'sum', property: 'revenue' }, op: 'gt', value: 1 },
    ],
    ['RFM', { rfm: 'champions' }],
  ])('%s reads the events of its name from the by_event projection (migration 0007)', async (_name, rule) => {
    const { query, params } = compile(compileRule(rule, CTX));
    const plan = await db().client.query({
      query: `EXPLAIN projections = 1 ${query}`,
      query_params: params,
      format: 'TabSeparatedRaw',
    });
    expect(await plan.text()).toContain('by_event');
  });
});
