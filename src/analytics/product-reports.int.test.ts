/**
 * overview, funnel, retention and paths through the API equal the brute-force reference on
 * random workspaces (merges, time zones, duplicates, bounds, filters, breakdowns).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Dataset } from './testing/dataset.ts';
import { createHarness, expectReport, type Harness, sortRows, type World } from './testing/harness.ts';
import { refFunnel, refOverview, refPaths, refRetention } from './testing/reference-product.ts';
import type { RefCommon } from './testing/reference-scope.ts';

const ANCHOR = Date.UTC(2026, 2, 20);
const FROM = '2026-03-01T00:00:00Z';
const TO = '2026-04-20T15:30:00+03:00';
const SEEDS = [11, 29];

describe('product reports equal the reference', () => {
  let h: Harness;
  const worlds: World[] = [];

  beforeAll(async () => {
    h = await createHarness();
    for (const seed of SEEDS) {
      worlds.push(await h.world(seed, ANCHOR, FROM, TO));
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  async function check<S extends RefCommon>(
    kind: string,
    spec: S,
    reference: (ds: Dataset, ws: string, spec: S) => unknown,
    normalise: (x: Record<string, unknown>) => Record<string, unknown> = (x) => x,
  ) {
    for (const w of worlds) {
      const result = await h.report(w.token, kind, spec);
      expectReport(
        normalise(result),
        normalise(reference(w.ds, w.ws, spec) as Record<string, unknown>),
        spec,
      );
    }
  }

  const common = { from: FROM, to: TO };
  const breakdowns: [string, RefCommon['breakdown']][] = [
    ['property', { property: 'utm_source' }],
    ['trait', { trait: 'city', limit: 2 }],
    ['segment', { segment: ['seg_a', 'seg_b', 'seg_none'] }],
  ];

  it.each([
    ['day, UTC', { ...common, granularity: 'day' as const }],
    ['week, Moscow', { ...common, granularity: 'week' as const, timezone: 'Europe/Moscow' }],
    ['month, New York (DST)', { ...common, granularity: 'month' as const, timezone: 'America/New_York' }],
    [
      'Kathmandu, property filter',
      { ...common, timezone: 'Asia/Kathmandu', filters: [{ property: 'n', op: 'gte', value: 2 }] },
    ],
    [
      'trait filter and segment',
      { ...common, segmentId: 'seg_a', filters: [{ trait: 'vip', op: 'eq', value: true }] },
    ],
  ])('overview: %s', async (_name, spec) => {
    await check('overview', spec, refOverview);
  });

  it.each(breakdowns)('overview by %s', async (_name, breakdown) => {
    await check('overview', { ...common, granularity: 'week' as const, breakdown }, refOverview);
  });

  const shop = ['Page Viewed', 'Product Viewed', 'Product Added', 'Order Completed'].map((event) => ({
    event,
  }));
  it.each([
    ['strict, 7 days', { ...common, steps: shop }],
    ['strict, 2 hours', { ...common, steps: shop, window: { hours: 2 } }],
    ['any order', { ...common, steps: shop, order: 'any' as const, window: { days: 3 } }],
    [
      'repeated step and where',
      {
        ...common,
        steps: [
          { event: 'Page Viewed' },
          { event: 'Page Viewed' },
          { event: 'Product Viewed', where: [{ property: 'flag', op: 'eq', value: true }] },
          { event: 'Page Viewed', where: [{ property: 'plan', op: 'in', value: ['monthly', 'annual'] }] },
        ],
      },
    ],
    [
      'with filters, Moscow',
      {
        ...common,
        steps: shop,
        timezone: 'Europe/Moscow',
        filters: [{ property: 'plan', op: 'neq', value: 'family' }],
      },
    ],
    ['by segment', { ...common, steps: shop, breakdown: { segment: ['seg_b', 'seg_a'] } }],
    ['by property', { ...common, steps: shop, breakdown: { property: 'plan' } }],
  ])('funnel: %s', async (_name, spec) => {
    await check('funnel', spec, refFunnel);
  });

  it.each([
    ['weekly, any events', { ...common, period: 'week' as const, periods: 4 }],
    [
      'daily, order cohort, page returns',
      {
        ...common,
        period: 'day' as const,
        periods: 10,
        cohortEvent: 'Order Completed',
        returnEvent: 'Page Viewed',
      },
    ],
    [
      'monthly, New York',
      {
        ...common,
        period: 'month' as const,
        periods: 2,
        timezone: 'America/New_York',
        returnEvent: 'Product Viewed',
      },
    ],
    ['weekly, by trait', { ...common, period: 'week' as const, breakdown: { trait: 'tier' } }],
    ['weekly, segment filter', { ...common, segmentId: 'seg_b', cohortEvent: null, returnEvent: null }],
  ])('retention: %s', async (_name, spec) => {
    await check('retention', spec, refRetention);
  });

  const byId = (x: { id?: string; source?: string; target?: string }) =>
    x.id ?? `${x.source}\u0000${x.target}`;
  const pathsOrder = (x: Record<string, unknown>) => sortRows(sortRows(x, 'nodes', byId), 'links', byId);
  it.each([
    ['from Page Viewed', { ...common, start: 'Page Viewed', steps: 4 }],
    ['to Order Completed, top 2', { ...common, end: 'Order Completed', steps: 5, topN: 2 }],
    [
      'from Product Viewed, 2 steps, Moscow',
      { ...common, start: 'Product Viewed', steps: 2, timezone: 'Europe/Moscow' },
    ],
    ['by segment', { ...common, start: 'Page Viewed', topN: 3, breakdown: { segment: ['seg_a'] } }],
  ])('paths: %s', async (_name, spec) => {
    await check('paths', spec, refPaths, pathsOrder);
  });
});
