/** The shared field rules (normalize.ts), exercised through the Segment batch parser. */
import { describe, expect, it } from 'vitest';
import { parseSegmentBatch, parseSegmentSingle } from './segment.ts';
import type { ParseContext } from './types.ts';

const receivedAt = new Date('2024-06-01T12:00:00.000Z');
const ctx: ParseContext = { receivedAt, ip: '203.0.113.7', newMessageId: () => 'generated-id' };

const track = (extra: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'Signed Up',
  userId: 'u1',
  messageId: 'm1',
  ...extra,
});

describe('per-item outcomes', () => {
  it('rejects an oversize event alone and accepts the rest of the batch', () => {
    const big = track({ messageId: 'big', properties: { blob: 'x'.repeat(33 * 1024) } });
    const { events, rejected } = parseSegmentBatch(
      { batch: [track({ messageId: 'a' }), big, track({ messageId: 'b' })] },
      ctx,
    );
    expect(events.map((e) => e.messageId)).toEqual(['a', 'b']);
    expect(rejected).toEqual([
      { index: 1, messageId: 'big', reason: expect.stringMatching(/^\/batch\/1: event is \d+ bytes/) },
    ]);
  });

  it('counts merged batch context towards the 32 KB', () => {
    const context = { blob: 'x'.repeat(20 * 1024) };
    const item = track({ context: { other: 'y'.repeat(20 * 1024) } });
    const { rejected } = parseSegmentBatch({ batch: [item], context }, ctx);
    expect(rejected).toHaveLength(1);
  });

  it('reports each broken rule with the field path', () => {
    const batch = [
      track({ event: undefined }),
      track({ event: '' }),
      { type: 'group', userId: 'u1' },
      { type: 'alias', userId: 'u1' },
      { type: 'alias', previousId: 'old', anonymousId: 'a1' },
      track({ userId: undefined }),
      track({ userId: { id: 1 } }),
      track({ type: 'purchase' }),
      track({ timestamp: 'not a date' }),
      track({ timestamp: '2024-02-30T00:00:00Z' }),
      track({ sentAt: '1' }),
      track({ properties: 'x' }),
      track({ messageId: 'm'.repeat(100) }),
      'not an object',
    ];
    const { events, rejected } = parseSegmentBatch({ batch }, ctx);
    expect(events).toEqual([]);
    expect(rejected.map((r) => r.reason)).toEqual([
      '/batch/0/event: required for track: a non-empty string',
      '/batch/1/event: required for track: a non-empty string',
      '/batch/2/groupId: required for group',
      '/batch/3/previousId: required for alias',
      '/batch/4/userId: required for alias',
      '/batch/5/userId: userId or anonymousId is required',
      '/batch/6/userId: must be a string or a number',
      '/batch/7/type: must be one of track, page, screen, identify, group, alias',
      '/batch/8/timestamp: must be an ISO 8601 date, got "not a date"',
      '/batch/9/timestamp: must be an ISO 8601 date, got "2024-02-30T00:00:00Z"',
      '/batch/10/sentAt: must be an ISO 8601 date, got "1"',
      '/batch/11/properties: must be an object',
      '/batch/12/messageId: must be shorter than 100 characters',
      '/batch/13: must be an object',
    ]);
    expect(rejected.map((r) => r.index)).toEqual(batch.map((_, i) => i));
    expect(rejected[0].messageId).toBe('m1');
    expect(rejected[13].messageId).toBeNull();
  });

  it('accepts group, alias and screen with what they need', () => {
    const { events, rejected } = parseSegmentBatch(
      {
        batch: [
          { type: 'group', userId: 'u1', groupId: 77, traits: { name: 'Acme' } },
          { type: 'alias', userId: 'u1', previousId: 'anon-9' },
          { type: 'screen', anonymousId: 'a1', name: 'Cart', properties: { items: 2 } },
        ],
      },
      ctx,
    );
    expect(rejected).toEqual([]);
    expect(events[0]).toMatchObject({
      type: 'group',
      event: 'Group',
      groupId: '77',
      traits: { name: 'Acme' },
    });
    expect(events[1]).toMatchObject({ type: 'alias', event: 'Alias', previousId: 'anon-9', userId: 'u1' });
    expect(events[2]).toMatchObject({
      type: 'screen',
      event: 'Screen Viewed',
      properties: { name: 'Cart', items: 2 },
    });
  });
});

describe('fields', () => {
  it('coerces numeric ids to strings and treats "" and null as absent', () => {
    const { events } = parseSegmentBatch(
      { batch: [track({ userId: 42, anonymousId: '' }), track({ userId: null, anonymousId: 7.5 })] },
      ctx,
    );
    expect(events.map((e) => [e.userId, e.anonymousId])).toEqual([
      ['42', null],
      [null, '7.5'],
    ]);
  });

  it('generates a messageId when absent and keeps one of 99 characters', () => {
    const { events } = parseSegmentBatch(
      { batch: [track({ messageId: undefined }), track({ messageId: 'm'.repeat(99) })] },
      ctx,
    );
    expect(events[0].messageId).toBe('generated-id');
    expect(events[1].messageId).toHaveLength(99);
    const real = parseSegmentBatch({ batch: [track({ messageId: undefined })] }, { receivedAt });
    expect(real.events[0].messageId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('merges batch context and integrations into each item, the item winning, context one level deep', () => {
    const body = {
      batch: [
        track({
          context: { library: { version: '2' }, locale: 'de-DE', page: 'not-an-object' },
          integrations: { Amplitude: false },
        }),
        track({ messageId: 'm2' }),
      ],
      context: {
        library: { name: 'lib', version: '1' },
        locale: 'en-US',
        app: { name: 'shop' },
        page: { url: 'u' },
      },
      integrations: { All: true, Amplitude: true },
    };
    const { events } = parseSegmentBatch(body, ctx);
    expect(events[0].context).toEqual({
      library: { name: 'lib', version: '2' },
      locale: 'de-DE',
      app: { name: 'shop' },
      page: 'not-an-object',
      ip: '203.0.113.7',
    });
    expect(events[0].integrations).toEqual({ All: true, Amplitude: false });
    expect(events[1].context.library).toEqual({ name: 'lib', version: '1' });
    expect(events[1].integrations).toEqual({ All: true, Amplitude: true });
    expect(body.context.library).toEqual({ name: 'lib', version: '1' }); // input not mutated
  });

  it('fills context.ip from the request unless the message carries one', () => {
    const { events } = parseSegmentBatch(
      { batch: [track(), track({ context: { ip: '198.51.100.1' } })] },
      ctx,
    );
    expect(events.map((e) => e.context.ip)).toEqual(['203.0.113.7', '198.51.100.1']);
    expect(parseSegmentBatch({ batch: [track()] }, { receivedAt }).events[0].context).toEqual({});
  });

  it('drops unknown top-level keys, writeKey among them, and never crashes on odd keys', () => {
    const item = JSON.parse(
      '{"type":"track","event":"E","userId":"u","writeKey":"secret","__proto__":{"polluted":true},"constructor":1,"properties":{"__proto__":{"x":1}}}',
    );
    const { events } = parseSegmentBatch(
      { batch: [item], writeKey: 'secret', context: JSON.parse('{"__proto__":{"a":1}}') },
      ctx,
    );
    expect(Object.keys(events[0])).not.toContain('writeKey');
    expect(JSON.stringify(events[0])).not.toContain('secret');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(events[0].context)).toBe(Object.prototype);
  });
});

describe('times', () => {
  const at = (extra: Record<string, unknown>, context: ParseContext = ctx) =>
    parseSegmentBatch({ batch: [track(extra)] }, context).events[0];

  it('corrects clock skew: timestamp = receivedAt − (sentAt − originalTimestamp)', () => {
    // The device clock is 1 h fast: it says the event was at 13:00:00 and it sent it at 13:00:30.
    const e = at({ timestamp: '2024-06-01T13:00:00Z', sentAt: '2024-06-01T13:00:30Z' });
    expect(e.timestamp).toEqual(new Date('2024-06-01T11:59:30Z'));
    expect(e.originalTimestamp).toEqual(new Date('2024-06-01T13:00:00Z'));
  });

  it('prefers originalTimestamp over timestamp as the device time', () => {
    const e = at({
      originalTimestamp: '2024-06-01T10:00:00Z',
      timestamp: '2024-06-01T11:00:00Z',
      sentAt: '2024-06-01T10:00:10Z',
    });
    expect(e.timestamp).toEqual(new Date('2024-06-01T11:59:50Z'));
  });

  it('keeps the sent time when sentAt is unknown and uses receivedAt when no time is sent', () => {
    expect(at({ timestamp: '2023-01-01T00:00:00+03:00' }).timestamp).toEqual(
      new Date('2022-12-31T21:00:00Z'),
    );
    expect(at({}).timestamp).toEqual(receivedAt);
    expect(at({}).sentAt).toBeNull();
  });

  it('takes sentAt from the item, else the batch, else the SentAt header', () => {
    const headers = { sentat: '2024-06-01T10:00:20Z' };
    const body = {
      batch: [
        track({ timestamp: '2024-06-01T10:00:00Z', sentAt: '2024-06-01T10:00:05Z' }),
        track({ timestamp: '2024-06-01T10:00:00Z' }),
      ],
      sentAt: '2024-06-01T10:00:10Z',
    };
    const events = parseSegmentBatch(body, { ...ctx, headers }).events;
    expect(events.map((e) => e.timestamp.toISOString())).toEqual([
      '2024-06-01T11:59:55.000Z',
      '2024-06-01T11:59:50.000Z',
    ]);
    const fromHeader = parseSegmentSingle('track', track({ timestamp: '2024-06-01T10:00:00Z' }), {
      ...ctx,
      headers,
    });
    expect(fromHeader.events[0].timestamp).toEqual(new Date('2024-06-01T11:59:40Z'));
    const badHeader = parseSegmentSingle('track', track(), { ...ctx, headers: { sentat: 'soon' } });
    expect(badHeader.events[0].sentAt).toBeNull();
  });

  it('reads dates without a zone as UTC, epoch milliseconds and seconds', () => {
    expect(at({ timestamp: '2024-06-01T10:00:00' }).timestamp).toEqual(new Date('2024-06-01T10:00:00Z'));
    expect(at({ timestamp: '2024-06-01' }).timestamp).toEqual(new Date('2024-06-01T00:00:00Z'));
    expect(at({ timestamp: 1717236000000 }).timestamp).toEqual(new Date('2024-06-01T10:00:00Z'));
    expect(at({ timestamp: 1717236000 }).timestamp).toEqual(new Date('2024-06-01T10:00:00Z'));
    expect(at({ timestamp: '2024-06-01T10:00:00.123456+0530' }).timestamp).toEqual(
      new Date('2024-06-01T04:30:00.123Z'),
    );
  });

  it('rejects times outside 1900..2299', () => {
    const { rejected } = parseSegmentBatch(
      { batch: [track({ timestamp: '1899-12-31T23:59:59Z' }), track({ timestamp: '2300-01-01T00:00:00Z' })] },
      ctx,
    );
    expect(rejected.map((r) => r.reason)).toEqual([
      '/batch/0/timestamp: must be between 1900 and 2299',
      '/batch/1/timestamp: must be between 1900 and 2299',
    ]);
  });
});
