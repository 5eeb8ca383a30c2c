/**
 * ltv, rfm, revenue and attribution (with spend uploaded through the API) equal the brute-force
 * reference on random workspaces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHarness,
  expectReport,
  type Harness,
  type World as SeededWorld,
  sortRows,
} from './testing/harness.ts';
import { type RefAttributionSpec, type RefSpend, refAttribution } from './testing/reference-attribution.ts';
import { refLtv, refRevenue, refRfm } from './testing/reference-revenue.ts';
import type { RefCommon } from './testing/reference-scope.ts';

const ANCHOR = Date.UTC(2026, 2, 20);
const FROM = '2026-03-01T00:00:00Z';
const TO = '2026-04-20T15:30:00+03:00';
const SEEDS = [7, 101];

interface World extends SeededWorld {
  spend: RefSpend[];
}

/** Spend rows for a workspace: some replaced by a second upload, some outside the range. */
function spendRows(seed: number): { first: RefSpend[]; second: RefSpend[] } {
  const first: RefSpend[] = [];
  for (let d = 0; d < 60; d += 3) {
    const date = new Date(Date.UTC(2026, 1, 25) + d * 86_400_000).toISOString().slice(0, 10);
    first.push({ date, source: 'yandex', medium: 'cpc', campaign: 'spring', cost: 100 + ((d * seed) % 50) });
    first.push({ date, source: 'google', medium: '', campaign: '', cost: 40.25 });
    if (d % 2 === 0)
      first.push({ date, source: 'mytarget', medium: 'cpc', campaign: 'retarget', cost: 12.5 });
  }
  // The second upload replaces three rows and adds one.
  const second = first.slice(0, 3).map((r) => ({ ...r, cost: r.cost * 2 }));
  second.push({ date: '2026-04-01', source: 'vk', medium: 'email', campaign: 'spring', cost: 77 });
  return { first, second };
}

function stored(first: RefSpend[], second: RefSpend[]): RefSpend[] {
  const key = (r: RefSpend) => [r.date, r.source, r.medium, r.campaign].join('\u0000');
  const rows = new Map(first.map((r) => [key(r), r]));
  for (const r of second) rows.set(key(r), r);
  return [...rows.values()];
}

describe('revenue and marketing reports equal the reference', () => {
  let h: Harness;
  const worlds: World[] = [];

  beforeAll(async () => {
    h = await createHarness();
    for (const seed of SEEDS) {
      const { ws, token, ds } = await h.world(seed, ANCHOR, FROM, TO);
      const { first, second } = spendRows(seed);
      const json = await h.post(
        token,
        '/api/v1/marketing/spend',
        first.map((r) => ({ ...r, impressions: 1000, clicks: 10 })),
      );
      expect(json.statusCode, json.body).toBe(200);
      expect(json.json()).toEqual({ rows: first.length });
      const csv = [
        'date,source,medium,campaign,cost,impressions,clicks',
        ...second.map((r) => `${r.date},${r.source},${r.medium},"${r.campaign}",${r.cost},5,1`),
      ].join('\n');
      const res = await h.post(token, '/api/v1/marketing/spend.csv', csv, { 'content-type': 'text/csv' });
      expect(res.statusCode, res.body).toBe(200);
      worlds.push({ ws, token, ds, spend: stored(first, second) });
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  async function check<S extends RefCommon>(
    kind: string,
    spec: S,
    reference: (w: World, spec: S) => unknown,
    normalise: (x: Record<string, unknown>) => Record<string, unknown> = (x) => x,
  ) {
    for (const w of worlds) {
      const result = await h.report(w.token, kind, spec);
      expectReport(normalise(result), normalise(reference(w, spec) as Record<string, unknown>), spec);
    }
  }

  const common = { from: FROM, to: TO };

  it.each([
    ['by monthly cohort', { ...common, periods: 3 }],
    [
      'by weekly cohort, Moscow',
      { ...common, period: 'week' as const, periods: 6, timezone: 'Europe/Moscow' },
    ],
    ['by channel', { ...common, by: 'channel' as const, period: 'week' as const, periods: 4 }],
    [
      'by cohort, amount property, by segment',
      { ...common, revenueProperty: 'amount', breakdown: { segment: ['seg_a'] } },
    ],
  ])('ltv: %s', async (_name, spec) => {
    await check('ltv', spec, (w, s) => refLtv(w.ds, w.ws, s));
  });

  it.each([
    ['orders', { ...common }],
    [
      'amount, Product Added purchases',
      { ...common, purchaseEvent: 'Product Added', revenueProperty: 'amount' },
    ],
    ['by trait', { ...common, breakdown: { trait: 'vip' } }],
    ['trait filter', { ...common, filters: [{ trait: 'age', op: 'lt', value: 50 }] }],
  ])('rfm: %s', async (_name, spec) => {
    await check('rfm', spec, (w, s) => refRfm(w.ds, w.ws, s));
  });

  it.each([
    ['daily', { ...common }],
    ['weekly, New York', { ...common, granularity: 'week' as const, timezone: 'America/New_York' }],
    ['monthly, amount', { ...common, granularity: 'month' as const, revenueProperty: 'amount' }],
    ['by property', { ...common, granularity: 'week' as const, breakdown: { property: 'utm_source' } }],
  ])('revenue: %s', async (_name, spec) => {
    await check('revenue', spec, (w, s) => refRevenue(w.ds, w.ws, s));
  });

  const byChannel = (x: Record<string, unknown>) =>
    sortRows(x, 'rows', (r: { channel: string }) => r.channel);
  const models = ['first_touch', 'last_touch', 'linear', 'time_decay', 'position_based'] as const;
  const channels = ['source', 'source_medium', 'campaign'] as const;
  it.each(
    models.flatMap((model, i) => [
      [model, channels[i % 3]] as const,
      [model, channels[(i + 1) % 3]] as const,
    ]),
  )('attribution: %s by %s', async (model, channel) => {
    const spec: RefAttributionSpec = { ...common, model, channel, lookbackDays: 10 };
    await check('attribution', spec, (w, s) => refAttribution(w.ds, w.ws, s, w.spend), byChannel);
  });

  it.each([
    [
      'long lookback, Product Added, amount',
      {
        ...common,
        conversionEvent: 'Product Added',
        revenueProperty: 'amount',
        model: 'linear' as const,
        lookbackDays: 60,
      },
    ],
    ['by segment', { ...common, model: 'position_based' as const, breakdown: { segment: ['seg_b'] } }],
    [
      'property filter',
      { ...common, model: 'time_decay' as const, filters: [{ property: 'flag', op: 'exists' }] },
    ],
  ])('attribution: %s', async (_name, spec) => {
    await check(
      'attribution',
      spec as RefAttributionSpec,
      (w, s) => refAttribution(w.ds, w.ws, s, w.spend),
      byChannel,
    );
  });

  it('stores the latest upload of each key, listed by date', async () => {
    const w = worlds[0];
    const res = await h.app.inject({
      url: '/api/v1/marketing/spend?from=2026-02-25&to=2026-02-26&limit=2',
      headers: { authorization: `Bearer ${w.token}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json();
    expect(page.data).toHaveLength(2);
    const all = w.spend.filter((r) => r.date === '2026-02-25').sort((a, b) => (a.source < b.source ? -1 : 1));
    expect(page.data.map((r: RefSpend) => [r.source, r.cost])).toEqual(
      all.slice(0, 2).map((r) => [r.source, r.cost]),
    );
    const next = await h.app.inject({
      url: `/api/v1/marketing/spend?from=2026-02-25&to=2026-02-26&limit=2&cursor=${page.nextCursor}`,
      headers: { authorization: `Bearer ${w.token}` },
    });
    expect(next.json().data.map((r: RefSpend) => r.source)).toEqual(all.slice(2).map((r) => r.source));
  });
});
