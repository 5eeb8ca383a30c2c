import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataPulseError } from '../errors.ts';
import { decodeBody } from './body.ts';
import { parseSegmentBatch, parseSegmentSingle } from './segment.ts';
import type { ParseContext } from './types.ts';

const KEY = 'c0123456789abcdefghijklmn';
const receivedAt = new Date('2024-06-01T12:00:00.000Z');
const ctx: ParseContext = { receivedAt, ip: '203.0.113.7', newMessageId: () => 'generated-id' };

function errorOf(fn: () => unknown): DataPulseError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DataPulseError) return err;
    throw err;
  }
  throw new Error('expected a DataPulseError');
}

const track = (extra: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'Signed Up',
  userId: 'u1',
  messageId: 'm1',
  ...extra,
});

describe('wire payloads of real SDKs', () => {
  it('@segment/analytics-node: batch with sentAt, timestamp per event, writeKey in the body', () => {
    const body = {
      batch: [
        {
          type: 'track',
          event: 'Order Completed',
          properties: { revenue: 42.5, currency: 'USD' },
          userId: 'user-1',
          context: { library: { name: '@segment/analytics-node', version: '2.1.2' } },
          integrations: {},
          timestamp: '2024-06-01T11:59:58.000Z',
          messageId: 'node-next-1717243198000-8e3b1c6a-6ad1-4c1e-a1a5-0c7b9d3f2b11',
          _metadata: { nodeVersion: '20.20.2', jsRuntime: 'node' },
        },
        {
          type: 'identify',
          traits: { email: 'ann@example.com', name: 'Ann' },
          userId: 'user-1',
          context: { library: { name: '@segment/analytics-node', version: '2.1.2' } },
          integrations: {},
          timestamp: '2024-06-01T11:59:58.500Z',
          messageId: 'node-next-1717243198500-0f0e4f4e-2d8e-4a4e-9a0e-6e4c1d0b9a22',
          _metadata: { nodeVersion: '20.20.2', jsRuntime: 'node' },
        },
      ],
      writeKey: KEY,
      sentAt: '2024-06-01T11:59:59.000Z',
    };
    const { events, rejected } = parseSegmentBatch(decodeBody(Buffer.from(JSON.stringify(body))), ctx);
    expect(rejected).toEqual([]);
    expect(events).toHaveLength(2);
    const [order, identify] = events;
    expect(order).toMatchObject({
      messageId: body.batch[0].messageId,
      type: 'track',
      event: 'Order Completed',
      userId: 'user-1',
      anonymousId: null,
      properties: { revenue: 42.5, currency: 'USD' },
      context: { library: { name: '@segment/analytics-node', version: '2.1.2' }, ip: '203.0.113.7' },
      integrations: {},
      sentAt: new Date('2024-06-01T11:59:59.000Z'),
      originalTimestamp: new Date('2024-06-01T11:59:58.000Z'),
      receivedAt,
    });
    // The event happened 1 s before sending; the server received it at 12:00:00.
    expect(order.timestamp).toEqual(new Date('2024-06-01T11:59:59.000Z'));
    expect(identify).toMatchObject({
      type: 'identify',
      event: 'Identify',
      traits: { email: 'ann@example.com' },
    });
    expect(JSON.stringify(events)).not.toContain(KEY);
    expect(JSON.stringify(events)).not.toContain('_metadata');
  });

  it('legacy analytics-node: batch-level timestamp and sentAt, first message alone', () => {
    const body = {
      batch: [
        {
          userId: 'legacy-1',
          event: 'Item Purchased',
          properties: { item: 'Shirt', price: 19 },
          type: 'track',
          context: { library: { name: 'analytics-node', version: '6.2.0' } },
          _metadata: { nodeVersion: '20.20.2' },
          timestamp: '2024-06-01T11:58:00.000Z',
          messageId: 'node-6c4c6b3e0e0c4f2b9a1d2e3f4a5b6c7d-2b8f7b0e-8c7d-4c5e-9f6a-1b2c3d4e5f60',
        },
      ],
      timestamp: '2024-06-01T11:58:00.010Z',
      sentAt: '2024-06-01T11:58:00.010Z',
    };
    const { events, rejected } = parseSegmentBatch(body, ctx);
    expect(rejected).toEqual([]);
    expect(events[0]).toMatchObject({
      userId: 'legacy-1',
      event: 'Item Purchased',
      messageId: body.batch[0].messageId,
    });
    expect(events[0].timestamp.getTime()).toBe(receivedAt.getTime() - 10);
  });

  it('@rudderstack/rudder-sdk-node: gzip with a form Content-Type, originalTimestamp and sentAt on each event', () => {
    const body = {
      batch: [
        {
          channel: 'server',
          context: {
            library: { name: 'analytics-node', version: '2.0.6' },
            traits: { email: 'bob@example.com', plan: 'pro' },
          },
          _metadata: { nodeVersion: '20.20.2' },
          type: 'identify',
          userId: 'bob',
          traits: { email: 'bob@example.com', plan: 'pro' },
          originalTimestamp: '2024-06-01T09:00:00.000Z',
          sentAt: '2024-06-01T09:00:05.000Z',
          messageId: '2f0a5c3e-7d1b-4c9e-8f6a-0b1c2d3e4f50',
        },
        {
          channel: 'server',
          context: { library: { name: 'analytics-node', version: '2.0.6' } },
          _metadata: { nodeVersion: '20.20.2' },
          type: 'track',
          event: 'Plan Upgraded',
          properties: { from: 'free', to: 'pro' },
          userId: 'bob',
          originalTimestamp: '2024-06-01T09:00:01.000Z',
          sentAt: '2024-06-01T09:00:05.000Z',
          messageId: '3a1b6d4f-8e2c-4daf-9a7b-1c2d3e4f5a61',
        },
      ],
      sentAt: '2024-06-01T09:00:05.000Z',
    };
    const headers = { 'content-encoding': 'gzip', 'content-type': 'application/x-www-form-urlencoded' };
    const { events, rejected } = parseSegmentBatch(decodeBody(gzipSync(JSON.stringify(body)), headers), ctx);
    expect(rejected).toEqual([]);
    expect(events[0]).toMatchObject({
      type: 'identify',
      traits: { plan: 'pro' },
      context: { traits: { email: 'bob@example.com', plan: 'pro' } },
      originalTimestamp: new Date('2024-06-01T09:00:00.000Z'),
    });
    // Device clock 3 h behind: sent 5 s after the identify, received at 12:00:00.
    expect(events[0].timestamp).toEqual(new Date('2024-06-01T11:59:55.000Z'));
    expect(events[1].timestamp).toEqual(new Date('2024-06-01T11:59:56.000Z'));
  });

  it('@segment/analytics-next: one message at /v1/t, text/plain, writeKey and _metadata inside', () => {
    const raw = JSON.stringify({
      timestamp: '2024-06-01T11:59:59.900Z',
      integrations: {},
      type: 'track',
      properties: { plan: 'pro' },
      event: 'Signed Up',
      messageId: 'ajs-next-1717243199900-4b1c2d3e-5f60-4a1b-8c2d-3e4f5a6b7c8d',
      context: {
        page: {
          path: '/pricing',
          referrer: '',
          search: '',
          title: 'Pricing',
          url: 'https://shop.example/pricing',
        },
        userAgent: 'Mozilla/5.0',
        locale: 'en-US',
        library: { name: 'analytics.js', version: 'npm:next-1.70.0' },
        timezone: 'Europe/Berlin',
      },
      anonymousId: '0b7c2e3a-1d4f-4e5a-9b6c-7d8e9f0a1b2c',
      userId: null,
      writeKey: KEY,
      sentAt: '2024-06-01T11:59:59.950Z',
      _metadata: { bundled: ['Segment.io'], unbundled: [], bundledIds: [] },
    });
    const { events, rejected } = parseSegmentSingle(
      't',
      decodeBody(Buffer.from(raw), { 'content-type': 'text/plain' }),
      ctx,
    );
    expect(rejected).toEqual([]);
    expect(events[0]).toMatchObject({
      type: 'track',
      event: 'Signed Up',
      userId: null,
      anonymousId: '0b7c2e3a-1d4f-4e5a-9b6c-7d8e9f0a1b2c',
      context: { page: { path: '/pricing' }, ip: '203.0.113.7' },
    });
    expect(events[0].timestamp).toEqual(new Date('2024-06-01T11:59:59.950Z'));
    expect(JSON.stringify(events[0])).not.toContain(KEY);
  });

  it('@segment/analytics-next batching: /v1/b with writeKey on each event', () => {
    const event = (n: number) => ({
      type: 'page',
      name: 'Home',
      properties: { path: '/', url: 'https://shop.example/' },
      anonymousId: 'anon-1',
      messageId: `ajs-next-${n}`,
      timestamp: '2024-06-01T11:59:58.000Z',
      writeKey: KEY,
      context: { library: { name: 'analytics.js', version: 'npm:next-1.70.0' } },
    });
    const { events } = parseSegmentBatch(
      { batch: [event(1), event(2)], sentAt: '2024-06-01T11:59:59.000Z', writeKey: KEY },
      ctx,
    );
    expect(events.map((e) => [e.type, e.event, e.properties.name])).toEqual([
      ['page', 'Page Viewed', 'Home'],
      ['page', 'Page Viewed', 'Home'],
    ]);
  });

  it('@rudderstack/analytics-js: page at /v1/page with userId "" and event null', () => {
    const body = {
      channel: 'web',
      context: {
        app: { name: 'RudderLabs JavaScript SDK', namespace: 'com.rudderlabs.javascript', version: '3.7.0' },
        traits: {},
        library: { name: 'RudderLabs JavaScript SDK', version: '3.7.0' },
        userAgent: 'Mozilla/5.0',
        locale: 'en-US',
        page: { path: '/', referrer: '$direct', title: 'Home', url: 'https://shop.example/' },
        sessionId: 1717243190000,
      },
      type: 'page',
      messageId: '8c3d2b1a-0f9e-4d8c-b7a6-5f4e3d2c1b0a',
      originalTimestamp: '2024-06-01T11:59:59.000Z',
      anonymousId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
      userId: '',
      event: null,
      properties: { name: 'Home', path: '/', title: 'Home', url: 'https://shop.example/' },
      name: 'Home',
      integrations: { All: true },
      sentAt: '2024-06-01T11:59:59.500Z',
      rudderId: '7d6c5b4a-3f2e-4d1c-9b8a-7f6e5d4c3b2a',
    };
    const { events, rejected } = parseSegmentSingle('page', body, ctx);
    expect(rejected).toEqual([]);
    expect(events[0]).toMatchObject({
      type: 'page',
      event: 'Page Viewed',
      userId: null,
      anonymousId: body.anonymousId,
      integrations: { All: true },
      properties: { name: 'Home' },
    });
    expect(events[0].timestamp).toEqual(new Date('2024-06-01T11:59:59.500Z'));
  });
});

describe('parseSegmentBatch: request-level errors (400)', () => {
  it('refuses a body that is not an object or a batch that is not an array', () => {
    expect(errorOf(() => parseSegmentBatch([], ctx)).status).toBe(400);
    const err = errorOf(() => parseSegmentBatch({ batch: { 0: track() } }, ctx));
    expect(err.status).toBe(400);
    expect(err.details[0].path).toBe('/batch');
  });

  it('accepts 2,500 events and refuses 2,501', () => {
    const batch = Array.from({ length: 2_500 }, (_, i) => track({ messageId: `m${i}` }));
    expect(parseSegmentBatch({ batch }, ctx).events).toHaveLength(2_500);
    const err = errorOf(() => parseSegmentBatch({ batch: [...batch, track()] }, ctx));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/too many events: 2501/);
  });

  it('refuses a malformed batch-level context or sentAt', () => {
    expect(errorOf(() => parseSegmentBatch({ batch: [], context: 'x' }, ctx)).details[0].path).toBe(
      '/context',
    );
    expect(errorOf(() => parseSegmentBatch({ batch: [], sentAt: 'yesterday' }, ctx)).details[0].path).toBe(
      '/sentAt',
    );
  });
});

describe('parseSegmentSingle', () => {
  it('maps the long and the short route names', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['identify', { userId: 'u', traits: { a: 1 } }, 'identify'],
      ['i', { userId: 'u' }, 'identify'],
      ['track', { userId: 'u', event: 'E' }, 'track'],
      ['t', { userId: 'u', event: 'E' }, 'track'],
      ['page', { userId: 'u' }, 'page'],
      ['p', { userId: 'u' }, 'page'],
      ['screen', { userId: 'u' }, 'screen'],
      ['s', { userId: 'u' }, 'screen'],
      ['group', { userId: 'u', groupId: 'g' }, 'group'],
      ['g', { userId: 'u', groupId: 'g' }, 'group'],
      ['alias', { userId: 'u', previousId: 'p' }, 'alias'],
      ['a', { userId: 'u', previousId: 'p' }, 'alias'],
    ];
    for (const [route, body, type] of cases) {
      const { events, rejected } = parseSegmentSingle(route, { ...body, type: 'track' }, ctx);
      expect(rejected).toEqual([]);
      expect(events[0].type).toBe(type);
    }
  });

  it('reports a broken message at the root path and refuses unknown routes', () => {
    expect(parseSegmentSingle('t', { userId: 'u' }, ctx).rejected).toEqual([
      { index: 0, messageId: null, reason: '/event: required for track: a non-empty string' },
    ]);
    expect(
      parseSegmentSingle('t', { userId: 'u', event: 'E', properties: { x: 'y'.repeat(40_000) } }, ctx)
        .rejected[0].reason,
    ).toMatch(/^body: event is \d+ bytes/);
    expect(errorOf(() => parseSegmentSingle('m', {}, ctx)).status).toBe(400);
    expect(errorOf(() => parseSegmentSingle('toString', {}, ctx)).status).toBe(400);
    expect(errorOf(() => parseSegmentSingle('track', [track()], ctx)).status).toBe(400);
  });
});
