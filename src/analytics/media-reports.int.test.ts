/** content and subscriptions through the API equal the brute-force reference on random workspaces. */
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Dataset } from './testing/dataset.ts';
import { createHarness, expectReport, type Harness, type World } from './testing/harness.ts';
import { refContent, refSubscriptions } from './testing/reference-media.ts';
import type { RefCommon } from './testing/reference-scope.ts';

const ANCHOR = Date.UTC(2026, 2, 20);
const FROM = '2026-03-01T00:00:00Z';
const TO = '2026-04-20T15:30:00+03:00';
const SEEDS = [3, 57, 88];

describe('content and subscription reports equal the reference', () => {
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
  ) {
    for (const w of worlds) {
      expectReport(await h.report(w.token, kind, spec), reference(w.ds, w.ws, spec), spec);
    }
  }

  const common = { from: FROM, to: TO };

  it.each([
    ['all content', { ...common }],
    ['top 2', { ...common, limit: 2 }],
    ['Moscow, segment filter', { ...common, timezone: 'Europe/Moscow', segmentId: 'seg_a' }],
    ['by trait', { ...common, breakdown: { trait: 'city' } }],
    ['other content property', { ...common, contentProperty: 'total_length' }],
  ])('content: %s', async (_name, spec) => {
    await check('content', spec, refContent);
  });

  it.each([
    ['monthly', { ...common }],
    ['weekly, New York', { ...common, granularity: 'week' as const, timezone: 'America/New_York' }],
    ['daily, one plan', { ...common, granularity: 'day' as const, plan: 'monthly' }],
    ['monthly, by segment', { ...common, breakdown: { segment: ['seg_a', 'seg_b'] } }],
    [
      'weekly, annual plan, trait filter',
      { ...common, granularity: 'week' as const, plan: 'annual', filters: [{ trait: 'tier', op: 'exists' }] },
    ],
  ])('subscriptions: %s', async (_name, spec) => {
    await check('subscriptions', spec, refSubscriptions);
  });
});
