import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataPulseError } from '../errors.ts';
import { extractWriteKey } from './auth.ts';
import { decodeBody } from './body.ts';
import { parsePostHogCapture } from './posthog.ts';
import type { ParseContext } from './types.ts';

const KEY = 'c0123456789abcdefghijklmn';
const receivedAt = new Date('2024-06-01T12:00:00.000Z');
const ctx: ParseContext = { receivedAt, ip: '203.0.113.7' };
const lib = { $lib: 'posthog-node', $lib_version: '4.18.0', $geoip_disable: true };

function errorOf(fn: () => unknown): DataPulseError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DataPulseError) return err;
    throw err;
  }
  throw new Error('expected a DataPulseError');
}

describe('posthog-node: POST /batch/, gzipped, api_key and sent_at in the body', () => {
  const body = {
    api_key: KEY,
    batch: [
      {
        distinct_id: 'user-42',
        event: 'Order Completed',
        properties: { revenue: 10, ...lib },
        type: 'capture',
        library: 'posthog-node',
        library_version: '4.18.0',
        timestamp: '2024-06-01T11:59:58.000Z',
        uuid: '0190d6a2-5b3c-7a1e-9f2d-3c4b5a697801',
      },
      {
        distinct_id: 'user-42',
        event: '$identify',
        properties: { $set: { email: 'ann@example.com' }, $set_once: { first_plan: 'free' }, ...lib },
        type: 'identify',
        library: 'posthog-node',
        library_version: '4.18.0',
        timestamp: '2024-06-01T11:59:58.100Z',
        uuid: '0190d6a2-5b3c-7a1e-9f2d-3c4b5a697802',
      },
      {
        distinct_id: 'user-42',
        event: '$create_alias',
        properties: { distinct_id: 'user-42', alias: 'legacy-42', ...lib },
        type: 'alias',
        timestamp: '2024-06-01T11:59:58.200Z',
        uuid: '0190d6a2-5b3c-7a1e-9f2d-3c4b5a697803',
      },
      {
        distinct_id: '$company_acme',
        event: '$groupidentify',
        properties: { $group_type: 'company', $group_key: 'acme', $group_set: { name: 'Acme' }, ...lib },
        timestamp: '2024-06-01T11:59:58.300Z',
        uuid: '0190d6a2-5b3c-7a1e-9f2d-3c4b5a697804',
      },
    ],
    sent_at: '2024-06-01T11:59:59.000Z',
  };
  const headers = { 'content-encoding': 'gzip', 'content-type': 'application/json' };
  const decoded = decodeBody(gzipSync(JSON.stringify(body)), headers);
  const { events, rejected } = parsePostHogCapture(decoded, ctx);

  it('authenticates with api_key and accepts every event', () => {
    expect(extractWriteKey({ headers, body: decoded })).toBe(KEY);
    expect(rejected).toEqual([]);
    expect(events).toHaveLength(4);
  });

  it('maps a capture to track: uuid → messageId, distinct_id → userId, $lib → context.library', () => {
    expect(events[0]).toMatchObject({
      messageId: '0190d6a2-5b3c-7a1e-9f2d-3c4b5a697801',
      type: 'track',
      event: 'Order Completed',
      userId: 'user-42',
      anonymousId: null,
      properties: { revenue: 10, $lib: 'posthog-node' },
      context: { library: { name: 'posthog-node', version: '4.18.0' }, ip: '203.0.113.7' },
      originalTimestamp: new Date('2024-06-01T11:59:58.000Z'),
      sentAt: new Date('2024-06-01T11:59:59.000Z'),
    });
    expect(events[0].timestamp).toEqual(new Date('2024-06-01T11:59:59.000Z'));
  });

  it('maps $identify to identify with traits from $set and $set_once kept apart', () => {
    expect(events[1]).toMatchObject({
      type: 'identify',
      event: 'Identify',
      userId: 'user-42',
      traits: { email: 'ann@example.com' },
      setOnceTraits: { first_plan: 'free' },
    });
    expect(events[1].properties).not.toHaveProperty('$set');
    expect(events[1].properties).not.toHaveProperty('$set_once');
  });

  it('maps $create_alias to alias and $groupidentify to group', () => {
    expect(events[2]).toMatchObject({ type: 'alias', userId: 'user-42', previousId: 'legacy-42' });
    expect(events[3]).toMatchObject({
      type: 'group',
      groupId: 'acme',
      traits: { name: 'Acme' },
      userId: null,
      anonymousId: '$company_acme',
    });
  });
});

describe('posthog-js: /e/ and /i/v0/e/, key in properties.token', () => {
  const browser = {
    $os: 'Mac OS X',
    $browser: 'Chrome',
    $current_url: 'https://shop.example/pricing?x=1',
    $host: 'shop.example',
    $pathname: '/pricing',
    $raw_user_agent: 'Mozilla/5.0',
    $lib: 'web',
    $lib_version: '1.200.0',
    $referrer: '$direct',
    $session_id: '0190d6a2-0000-7000-8000-00000000aaaa',
    token: KEY,
  };

  it('maps an anonymous $pageview to page, distinct_id = $device_id → anonymousId', () => {
    const body = {
      uuid: '0190d6a2-5b3c-7a1e-9f2d-3c4b5a697810',
      event: '$pageview',
      properties: { ...browser, $device_id: 'dev-1', distinct_id: 'dev-1', $is_identified: false },
      timestamp: '2024-06-01T11:59:59.900Z',
    };
    const raw = gzipSync(JSON.stringify(body)); // compression=gzip-js: no Content-Encoding header
    const decoded = decodeBody(raw, { 'content-type': 'text/plain' });
    expect(extractWriteKey({ body: decoded })).toBe(KEY);
    const { events, rejected } = parsePostHogCapture(decoded, ctx);
    expect(rejected).toEqual([]);
    expect(events[0]).toMatchObject({
      type: 'page',
      event: 'Page Viewed',
      userId: null,
      anonymousId: 'dev-1',
      properties: {
        url: 'https://shop.example/pricing?x=1',
        path: '/pricing',
        $current_url: 'https://shop.example/pricing?x=1',
      },
      context: {
        page: {
          url: 'https://shop.example/pricing?x=1',
          path: '/pricing',
          referrer: '$direct',
          host: 'shop.example',
        },
        userAgent: 'Mozilla/5.0',
        device: { id: 'dev-1' },
        library: { name: 'web', version: '1.200.0' },
      },
    });
    expect(events[0].properties).not.toHaveProperty('token');
    expect(events[0].properties).not.toHaveProperty('distinct_id');
  });

  it('reads an array batch with offsets, and $identify linking $anon_distinct_id', () => {
    const body = [
      {
        uuid: '0190d6a2-5b3c-7a1e-9f2d-3c4b5a697811',
        event: 'clicked buy',
        properties: {
          ...browser,
          $device_id: 'dev-1',
          distinct_id: 'dev-1',
          $set: { last_seen_page: '/pricing' },
        },
        offset: 1500,
      },
      {
        uuid: '0190d6a2-5b3c-7a1e-9f2d-3c4b5a697812',
        event: '$identify',
        properties: { ...browser, $device_id: 'dev-1', distinct_id: 'user-42', $anon_distinct_id: 'dev-1' },
        $set: { email: 'ann@example.com' },
        $set_once: { first_url: '/pricing' },
        offset: 20,
      },
      {
        uuid: '0190d6a2-5b3c-7a1e-9f2d-3c4b5a697813',
        event: 'added to cart',
        properties: { ...browser, $device_id: 'dev-1', distinct_id: 'user-42', $is_identified: true },
        offset: 5,
      },
    ];
    const { events, rejected } = parsePostHogCapture(body, ctx);
    expect(rejected).toEqual([]);
    expect(events[0]).toMatchObject({
      type: 'track',
      userId: null,
      anonymousId: 'dev-1',
      context: { traits: { last_seen_page: '/pricing' } },
    });
    expect(events[0].timestamp).toEqual(new Date(receivedAt.getTime() - 1500));
    expect(events[1]).toMatchObject({
      type: 'identify',
      userId: 'user-42',
      anonymousId: 'dev-1',
      traits: { email: 'ann@example.com' },
      setOnceTraits: { first_url: '/pricing' },
    });
    expect(events[2]).toMatchObject({ userId: 'user-42', anonymousId: 'dev-1' });
  });

  it('maps $screen to screen with its name', () => {
    const { events } = parsePostHogCapture(
      { event: '$screen', distinct_id: 'u1', properties: { $screen_name: 'Cart' }, api_key: KEY },
      ctx,
    );
    expect(events[0]).toMatchObject({ type: 'screen', event: 'Screen Viewed', properties: { name: 'Cart' } });
  });

  it('maps a $set event to identify', () => {
    const { events } = parsePostHogCapture(
      [{ event: '$set', properties: { distinct_id: 'u1', token: KEY, $set: { plan: 'pro' } } }],
      ctx,
    );
    expect(events[0]).toMatchObject({ type: 'identify', userId: 'u1', traits: { plan: 'pro' } });
  });
});

describe('/capture/ and other shapes', () => {
  it('reads a single legacy capture with api_key beside it and a numeric distinct_id', () => {
    const { events } = parsePostHogCapture(
      {
        api_key: KEY,
        event: 'signup',
        distinct_id: 123,
        properties: { plan: 'pro' },
        timestamp: '2024-06-01T11:00:00Z',
      },
      ctx,
    );
    expect(events[0]).toMatchObject({ userId: '123', event: 'signup', properties: { plan: 'pro' } });
    expect(events[0].timestamp).toEqual(new Date('2024-06-01T11:00:00Z'));
    expect(events[0].messageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reads {"api_key", "data": [...]}', () => {
    const { events } = parsePostHogCapture({ api_key: KEY, data: [{ event: 'e', distinct_id: 'd' }] }, ctx);
    expect(events).toHaveLength(1);
  });

  it('rejects an event without distinct_id or event name, naming the field', () => {
    const { events, rejected } = parsePostHogCapture(
      {
        batch: [
          { event: 'e', properties: {}, uuid: 'u-1' },
          { distinct_id: 'd', properties: {} },
          { event: 'e', distinct_id: 'd', uuid: 'x'.repeat(100) },
          { event: 'e', distinct_id: 'd', offset: -5 },
          { event: 'e', distinct_id: 'd' },
        ],
      },
      ctx,
    );
    expect(events).toHaveLength(1);
    expect(rejected).toEqual([
      { index: 0, messageId: 'u-1', reason: '/batch/0/distinct_id: distinct_id is required' },
      { index: 1, messageId: null, reason: '/batch/1/event: required for track: a non-empty string' },
      { index: 2, messageId: 'x'.repeat(100), reason: '/batch/2/uuid: must be shorter than 100 characters' },
      { index: 3, messageId: null, reason: '/batch/3/offset: must be a non-negative number of milliseconds' },
    ]);
  });

  it('answers 400 for a body with no events or too many', () => {
    expect(errorOf(() => parsePostHogCapture({ api_key: KEY }, ctx)).status).toBe(400);
    expect(errorOf(() => parsePostHogCapture({ batch: 'x' }, ctx)).details[0].path).toBe('/batch');
    expect(errorOf(() => parsePostHogCapture('x', ctx)).status).toBe(400);
    const many = Array.from({ length: 2_501 }, () => ({ event: 'e', distinct_id: 'd' }));
    expect(errorOf(() => parsePostHogCapture(many, ctx)).message).toMatch(/too many events/);
    expect(errorOf(() => parsePostHogCapture({ batch: many }, ctx)).details[0].path).toBe('/batch');
  });
});
