import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { TrackedEvent } from '../core/tracking/index.ts';
import type { IngestItem } from '../ingest/index.ts';
import type { ClickHouse } from '../storage/index.ts';
import type { SegmentEvaluator } from './evaluator.ts';
import { realtimeEntry } from './realtime.ts';

const RULES = new Map<string, unknown>([
  ['seg_orders', { event: 'Order Completed', count: { op: 'gte', value: 2 } }],
  ['seg_plan', { trait: 'plan', op: 'eq', value: 'pro' }],
  ['seg_rfm', { rfm: 'champions' }],
]);

function harness(opts: { maxProfiles?: number; merged?: { profile_id: string; survivor: string }[] } = {}) {
  const evaluated: { segmentId: string; ids: readonly string[] }[] = [];
  const recomputed: string[] = [];
  const evaluator = {
    rulesOf: async () => new Map(RULES),
    evaluateProfiles: async (
      _ws: string,
      segmentId: string,
      _r: unknown,
      _m: unknown,
      ids: readonly string[],
    ) => {
      evaluated.push({ segmentId, ids: [...ids].sort() });
      return { at: new Date(), version: 1, entered: 0, exited: 0 };
    },
  } as unknown as SegmentEvaluator;
  const ch = { query: async () => opts.merged ?? [] } as unknown as ClickHouse;
  const rt = realtimeEntry(
    {
      ch,
      evaluator,
      recomputeAll: async (_ws, id) => void recomputed.push(id),
      log: pino({ level: 'silent' }),
    },
    { debounceMs: 1, maxProfiles: opts.maxProfiles },
  );
  const item = (type: string, event: string): IngestItem => ({
    workspaceId: 'ws',
    sourceId: 'src',
    event: { type, event } as TrackedEvent,
  });
  return { rt, evaluated, recomputed, item };
}

describe('real-time entry routing', () => {
  it('re-evaluates only the segments an event can change, never RFM', async () => {
    const h = harness();
    h.rt.onStored([h.item('page', 'Page Viewed'), h.item('track', 'Order Completed')], ['prf_a', 'prf_b']);
    await h.rt.idle();
    expect(h.evaluated).toEqual([
      { segmentId: 'seg_orders', ids: ['prf_b'] },
      { segmentId: 'seg_plan', ids: ['prf_a', 'prf_b'] },
    ]);
  });

  it('includes profiles merged into a touched one, and identify calls reach every incremental rule', async () => {
    const h = harness({ merged: [{ profile_id: 'prf_old', survivor: 'prf_a' }] });
    h.rt.onStored([h.item('identify', 'Identify')], ['prf_a']);
    await h.rt.idle();
    expect(h.evaluated).toEqual([
      { segmentId: 'seg_orders', ids: ['prf_a', 'prf_old'] },
      { segmentId: 'seg_plan', ids: ['prf_a', 'prf_old'] },
    ]);
  });

  it('gathers touches of several flushes into one evaluation', async () => {
    const h = harness();
    h.rt.onStored([h.item('track', 'Order Completed')], ['prf_a']);
    h.rt.onStored([h.item('track', 'Order Completed')], ['prf_b']);
    await h.rt.idle();
    expect(h.evaluated.filter((e) => e.segmentId === 'seg_orders')).toEqual([
      { segmentId: 'seg_orders', ids: ['prf_a', 'prf_b'] },
    ]);
  });

  it('never splits a profile from the ids merged into it across evaluation queries', async () => {
    const merged = ['m1', 'm2', 'm3'].map((m) => ({ profile_id: m, survivor: 'prf_z' }));
    const h = harness({ merged });
    const ids = [...Array.from({ length: 999 }, (_, i) => `prf_${String(i).padStart(4, '0')}`), 'prf_z'];
    h.rt.onStored(
      ids.map(() => h.item('track', 'Order Completed')),
      ids,
    );
    await h.rt.idle();
    const orders = h.evaluated.filter((e) => e.segmentId === 'seg_orders').map((e) => e.ids);
    expect(orders.map((c) => c.length)).toEqual([999, 4]);
    expect(orders[1]).toEqual(['m1', 'm2', 'm3', 'prf_z']);
  });

  it('enqueues a full recompute instead when a bulk touches too many profiles', async () => {
    const h = harness({ maxProfiles: 2 });
    h.rt.onStored(
      ['a', 'b', 'c'].map(() => h.item('track', 'Order Completed')),
      ['prf_a', 'prf_b', 'prf_c'],
    );
    await h.rt.idle();
    expect(h.recomputed.sort()).toEqual(['seg_orders', 'seg_plan']);
    expect(h.evaluated).toEqual([]);
  });
});
