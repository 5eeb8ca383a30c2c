import { describe, expect, it } from 'vitest';
import { DataPulseError } from '../errors.ts';
import { extractWriteKey } from './auth.ts';
import { decodeBody } from './body.ts';
import { parseJitsuEvent } from './jitsu.ts';
import type { ParseContext } from './types.ts';

const KEY = 'c0123456789abcdefghijklmn';
const receivedAt = new Date('2024-06-01T12:00:00.000Z');
const ctx: ParseContext = { receivedAt, ip: '203.0.113.7' };

describe('@jitsu/js: one event per POST /api/s/{type} or /api/s/s2s/{type}', () => {
  it('s2s track from Node: X-Write-Key header, masked key in the body, groupId null', () => {
    const body = {
      type: 'track',
      event: 'Order Completed',
      properties: { revenue: 10 },
      userId: 'user-42',
      anonymousId: '5c1d8e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f',
      timestamp: '2024-06-01T11:59:59.000Z',
      sentAt: '2024-06-01T11:59:59.000Z',
      messageId: '1xkq3v9z8p2m4n7b5c',
      writeKey: '***',
      groupId: null,
      context: {
        library: { name: '@jitsu/js', version: '1.9.7' },
        traits: {},
        page: {},
        clientIds: {},
        campaign: {},
      },
    };
    const headers = { 'content-type': 'application/json', 'x-write-key': KEY };
    const decoded = decodeBody(Buffer.from(JSON.stringify(body)), headers);
    expect(extractWriteKey({ headers, body: decoded })).toBe(KEY);
    const { events, rejected } = parseJitsuEvent('track', decoded, ctx);
    expect(rejected).toEqual([]);
    expect(events[0]).toMatchObject({
      messageId: '1xkq3v9z8p2m4n7b5c',
      type: 'track',
      event: 'Order Completed',
      userId: 'user-42',
      anonymousId: body.anonymousId,
      context: { library: { name: '@jitsu/js', version: '1.9.7' }, ip: '203.0.113.7' },
    });
    expect(events[0]).not.toHaveProperty('groupId');
    expect(JSON.stringify(events[0])).not.toContain('***');
  });

  it('browser page with page context, cookies ids and the group remembered from group()', () => {
    const body = {
      type: 'page',
      properties: {
        title: 'Pricing',
        url: 'https://shop.example/pricing',
        path: '/pricing',
        hash: '',
        search: '',
        width: 1280,
        height: 800,
      },
      anonymousId: 'anon-7',
      timestamp: '2024-06-01T11:59:59.500Z',
      sentAt: '2024-06-01T11:59:59.500Z',
      messageId: '2ab3cd4ef5gh6ij',
      writeKey: 'key-id:***',
      groupId: 'acme',
      context: {
        library: { name: '@jitsu/js', version: '1.9.7' },
        userAgent: 'Mozilla/5.0',
        locale: 'en-US',
        screen: { width: 1280, height: 800, innerWidth: 1280, innerHeight: 700, density: 2 },
        traits: { email: 'ann@example.com' },
        page: {
          path: '/pricing',
          referrer: '',
          host: 'shop.example',
          search: '',
          title: 'Pricing',
          url: 'https://shop.example/pricing',
          encoding: 'UTF-8',
        },
        clientIds: { fbp: 'fb.1.1.1' },
        campaign: { source: 'newsletter' },
      },
    };
    const { events, rejected } = parseJitsuEvent('page', body, ctx);
    expect(rejected).toEqual([]);
    expect(events[0]).toMatchObject({
      type: 'page',
      event: 'Page Viewed',
      groupId: 'acme',
      context: { traits: { email: 'ann@example.com' } },
    });
  });

  it('identify and a numeric group id', () => {
    const identify = parseJitsuEvent(
      'identify',
      { type: 'identify', userId: 'u1', traits: { plan: 'pro' }, anonymousId: 'a' },
      ctx,
    );
    expect(identify.events[0]).toMatchObject({ type: 'identify', traits: { plan: 'pro' } });
    const group = parseJitsuEvent(
      'group',
      { type: 'group', groupId: 12, traits: { name: 'Acme' }, userId: 'u1' },
      ctx,
    );
    expect(group.events[0]).toMatchObject({ type: 'group', groupId: '12' });
  });

  it('reports a broken event and refuses unknown types and non-objects with 400', () => {
    expect(parseJitsuEvent('track', { type: 'track', anonymousId: 'a' }, ctx).rejected[0].reason).toBe(
      '/event: required for track: a non-empty string',
    );
    for (const run of [() => parseJitsuEvent('t', {}, ctx), () => parseJitsuEvent('track', 'x', ctx)]) {
      try {
        run();
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(DataPulseError);
        expect((err as DataPulseError).status).toBe(400);
      }
    }
  });
});
