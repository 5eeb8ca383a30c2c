import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackedEvent } from '../../test/helpers/events.ts';
import type { TrackedEvent } from '../core/tracking/index.ts';
import type { MembershipChanged } from './bus.ts';
import { type ApiFixture, apiFixture } from './testing/api-fixture.ts';

function tracked(e: Pick<TrackedEvent, 'type' | 'event'> & Partial<TrackedEvent>): TrackedEvent {
  return trackedEvent(e);
}

describe('real-time segment entry', () => {
  let f: ApiFixture;
  const published: MembershipChanged[] = [];
  const submit = (events: TrackedEvent[]) => f.t.platform.ingest.submit(f.workspaceId, f.sourceId, events);
  const members = async (segmentId: unknown) =>
    (await f.ok<{ data: { profileId: string }[] }>('GET', `/segments/${segmentId}/members`)).data
      .map((m) => m.profileId)
      .sort();
  /** Polls until `check` passes; returns the milliseconds it took. */
  async function within<T>(ms: number, read: () => Promise<T>, check: (v: T) => boolean): Promise<number> {
    const t0 = Date.now();
    let last: T | undefined;
    while (Date.now() - t0 < ms) {
      last = await read();
      if (check(last)) return Date.now() - t0;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`not within ${ms} ms; last value ${JSON.stringify(last)}`);
  }

  beforeAll(async () => {
    f = await apiFixture();
    f.t.platform.segments.bus.on('membership', (e) => published.push(e));
    await submit([
      tracked({ type: 'identify', event: 'Identify', userId: 'r1', traits: { plan: 'free' } }),
      tracked({ type: 'identify', event: 'Identify', userId: 'r2', traits: { plan: 'pro' } }),
    ]);
  });
  afterAll(async () => {
    await f?.close();
  });

  it('enters a profile within seconds of the event that qualifies it, and records it', async () => {
    const buyers = await f.segment('Repeat buyers', {
      event: 'Order Completed',
      count: { op: 'gte', value: 2 },
      within: { days: 30 },
    });
    expect(buyers.realtime).toBe(true);
    expect(buyers.lastSize).toBe(0);
    const r1 = await f.profileOf('r1');

    await submit([
      tracked({ type: 'track', event: 'Order Completed', userId: 'r1', properties: { revenue: 10 } }),
    ]);
    await f.t.platform.segments.realtime.idle();
    expect(await members(buyers.id)).toEqual([]); // one order is not enough

    await submit([
      tracked({ type: 'track', event: 'Order Completed', userId: 'r1', properties: { revenue: 20 } }),
    ]);
    const ms = await within(
      5000,
      () => members(buyers.id),
      (m) => m.includes(r1),
    );
    expect(ms).toBeLessThan(5000);

    const history = await f.ok<{ data: { profileId: string; change: string; source: string }[] }>(
      'GET',
      `/segments/${buyers.id}/history`,
    );
    expect(history.data).toEqual([
      expect.objectContaining({ profileId: r1, change: 'enter', source: 'realtime' }),
    ]);
    expect((await f.ok<{ lastSize: number }>('GET', `/segments/${buyers.id}`)).lastSize).toBe(1);
    expect(await f.t.platform.segments.membership.segmentsOf(f.workspaceId, r1)).toEqual([buyers.id]);
    expect(published).toContainEqual(
      expect.objectContaining({
        segmentId: buyers.id,
        source: 'realtime',
        entered: 1,
        exited: 0,
        changes: [{ profileId: r1, entered: true }],
      }),
    );
  });

  it('moves profiles in and out of trait segments as identify calls change traits', async () => {
    const pro = await f.segment('Pro plan', { trait: 'plan', op: 'eq', value: 'pro' });
    const [r1, r2] = [await f.profileOf('r1'), await f.profileOf('r2')];
    expect(await members(pro.id)).toEqual([r2]);
    await submit([
      tracked({ type: 'identify', event: 'Identify', userId: 'r1', traits: { plan: 'pro' } }),
      tracked({ type: 'identify', event: 'Identify', userId: 'r2', traits: { plan: 'free' } }),
    ]);
    await within(
      5000,
      () => members(pro.id),
      (m) => m.length === 1 && m[0] === r1,
    );
    const history = await f.ok<{ data: { profileId: string; change: string }[] }>(
      'GET',
      `/segments/${pro.id}/history`,
    );
    expect(history.data.filter((h) => h.profileId === r2).map((h) => h.change)).toEqual(['exit', 'enter']);
    expect((await f.ok<{ lastSize: number }>('GET', `/segments/${pro.id}`)).lastSize).toBe(1);
  });

  it('leaves segments of a profile merged into another one', async () => {
    const viewers = await f.segment('Viewed a product', { event: 'Product Viewed' });
    await submit([tracked({ type: 'track', event: 'Product Viewed', anonymousId: 'anon-77' })]);
    await within(
      5000,
      () => members(viewers.id),
      (m) => m.length === 1,
    );
    const [anon] = await members(viewers.id);
    // The visitor logs in as r2: the anonymous profile and r2's are merged.
    await submit([tracked({ type: 'identify', event: 'Identify', userId: 'r2', anonymousId: 'anon-77' })]);
    const survivor = await f.profileOf('r2');
    await within(
      5000,
      () => members(viewers.id),
      (m) => m.length === 1 && m[0] === survivor,
    );
    if (survivor !== anon) {
      const history = await f.ok<{ data: { profileId: string; change: string }[] }>(
        'GET',
        `/segments/${viewers.id}/history`,
      );
      expect(history.data).toContainEqual(expect.objectContaining({ profileId: anon, change: 'exit' }));
    }
    // A full recompute agrees with what real-time entry left.
    const job = await f.job((await f.ok<{ id: string }>('POST', `/segments/${viewers.id}/recompute`)).id);
    expect(job.result).toMatchObject({ size: 1, entered: 0, exited: 0 });
  });

  it('leaves non-incremental rules (RFM) to the schedule', async () => {
    const rfm = await f.segment('Champions', { rfm: 'champions' });
    expect(rfm.realtime).toBe(false);
    const before = published.filter((p) => p.segmentId === rfm.id).length;
    await submit([
      tracked({ type: 'track', event: 'Order Completed', userId: 'r2', properties: { revenue: 999 } }),
    ]);
    await f.t.platform.segments.realtime.idle();
    expect(published.filter((p) => p.segmentId === rfm.id)).toHaveLength(before);
  });
});
