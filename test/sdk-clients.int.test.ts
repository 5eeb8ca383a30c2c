import { jitsuAnalytics } from '@jitsu/js';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import { PostHog } from 'posthog-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from './helpers/platform.ts';
import { jsonOf, type ServerProcess, startServer } from './helpers/server.ts';

/** The SDKs people already ship, pointed at DataPulse by changing only the host. */
describe('real SDK clients against a started server', () => {
  const data = tempDataDir();
  const token = 'dp_sdk_suite_owner_token_0123456789abcdef';
  let server: ServerProcess;
  let writeKey: string;
  const api = (path: string) =>
    jsonOf(fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } }));
  // biome-ignore lint/suspicious/noExplicitAny: rows are arbitrary JSON
  const until = async (fn: () => Promise<any[]>, n: number) => {
    for (let i = 0; i < 100; i++) {
      const rows = await fn();
      if (rows.length >= n) return rows;
      await new Promise((r) => setTimeout(r, 100));
    }
    return fn();
  };

  beforeAll(async () => {
    server = await startServer({ DATAPULSE_DATA_DIR: data.dir, DATAPULSE_BOOTSTRAP_TOKEN: token });
    const res = await fetch(`${server.url}/api/v1/sources`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'SDKs' }),
    });
    writeKey = (await jsonOf(res)).writeKey;
  });
  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    data.remove();
  });

  it('@segment/analytics-node', async () => {
    const analytics = new SegmentAnalytics({ writeKey, host: server.url, path: '/v1/batch', flushAt: 3 });
    analytics.identify({ userId: 'seg-user', traits: { email: 'seg@example.ru', name: 'Сегмент' } });
    analytics.track({ userId: 'seg-user', event: 'Order Completed', properties: { revenue: 99.5 } });
    analytics.page({ anonymousId: 'seg-anon', name: 'Home' });
    await analytics.closeAndFlush();
    const rows = await until(async () => (await api('/events?userId=seg-user')).data, 2);
    expect(rows.map((e: { type: string }) => e.type).sort()).toEqual(['identify', 'track']);
    const order = rows.find((e: { type: string }) => e.type === 'track');
    expect(order).toMatchObject({ event: 'Order Completed', properties: { revenue: 99.5 } });
    expect((await api('/events?anonymousId=seg-anon')).data).toMatchObject([
      { type: 'page', event: 'Page Viewed' },
    ]);
  });

  it('@rudderstack/rudder-sdk-node (gzip, form Content-Type)', async () => {
    const client = new RudderAnalytics(writeKey, {
      dataPlaneUrl: server.url,
      flushAt: 2,
      flushInterval: 100,
    });
    client.identify({ userId: 'rs-user', traits: { email: 'rs@example.ru' } });
    client.track({ userId: 'rs-user', event: 'Product Viewed', properties: { sku: 'a1' } });
    await new Promise<void>((resolve) => client.flush(() => resolve()));
    const rows = await until(async () => (await api('/events?userId=rs-user')).data, 2);
    expect(rows.map((e: { event: string }) => e.event).sort()).toEqual(['Identify', 'Product Viewed']);
  });

  it('posthog-node', async () => {
    const client = new PostHog(writeKey, { host: server.url, flushAt: 1, flushInterval: 0 });
    client.capture({
      distinctId: 'ph-user',
      event: 'Video Playback Started',
      properties: { content_id: 'c1' },
    });
    client.identify({ distinctId: 'ph-user', properties: { email: 'ph@example.ru' } });
    await client.shutdown();
    const rows = await until(async () => (await api('/events?userId=ph-user')).data, 2);
    expect(rows.map((e: { event: string }) => e.event).sort()).toEqual([
      'Identify',
      'Video Playback Started',
    ]);
  });

  it('@jitsu/js', async () => {
    const analytics = jitsuAnalytics({ host: server.url, writeKey });
    await analytics.identify('jitsu-user', { email: 'jitsu@example.ru' });
    await analytics.track('Signed In', { method: 'password' });
    const rows = await until(async () => (await api('/events?userId=jitsu-user')).data, 2);
    expect(rows.map((e: { event: string }) => e.event).sort()).toEqual(['Identify', 'Signed In']);
  });
});
