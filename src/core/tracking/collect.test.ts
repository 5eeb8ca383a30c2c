import { describe, expect, it } from 'vitest';
import { DataPulseError } from '../errors.ts';
import { decodeBody } from './body.ts';
import { parseCollect } from './collect.ts';
import type { ParseContext } from './types.ts';

const receivedAt = new Date('2024-12-07T10:00:05.000Z');
const ctx: ParseContext = { receivedAt, ip: '203.0.113.7' };

describe('POST /v1/collect (seed 004 tracker payload)', () => {
  it('maps the seed example: client_id → anonymousId, device and push token → context.device', () => {
    const raw =
      '{"client_id":"CID123456","device_type":"web","push_token":"TOKEN123456","event":"page_visit","timestamp":"2024-12-07T10:00:00Z"}';
    const { events, rejected } = parseCollect(decodeBody(Buffer.from(raw)), ctx);
    expect(rejected).toEqual([]);
    expect(events[0]).toMatchObject({
      type: 'track',
      event: 'page_visit',
      userId: null,
      anonymousId: 'CID123456',
      properties: {},
      context: { device: { id: 'CID123456', type: 'web', token: 'TOKEN123456' }, ip: '203.0.113.7' },
      timestamp: new Date('2024-12-07T10:00:00Z'),
    });
  });

  it('links device and user on login, email and phone as context.traits, flat parameters as properties', () => {
    const body = {
      user_id: 'b3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      client_id: 'CID123456',
      device_type: 'ios',
      email: 'ann@example.com',
      phone: 79001234567,
      event: 'user_login',
      auth_status: 1,
      page_url: 'https://shop.example/login',
      properties: { page_url: 'https://shop.example/account', method: 'email' },
      timestamp: '2024-12-07T10:00:00Z',
      writeKey: 'secret',
    };
    const { events } = parseCollect(body, ctx);
    expect(events[0]).toMatchObject({
      userId: 'b3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      anonymousId: 'CID123456',
      context: {
        traits: { email: 'ann@example.com', phone: '79001234567' },
        device: { id: 'CID123456', type: 'ios' },
      },
      properties: { auth_status: 1, page_url: 'https://shop.example/account', method: 'email' },
    });
    expect(JSON.stringify(events[0])).not.toContain('secret');
  });

  it('reads arrays and {"batch": [...]}, one outcome per item', () => {
    const items = [
      { client_id: 'c1', event: 'add_to_cart', product_id: 'p1', quantity: 2, price: 9.5, message_id: 'm-1' },
      { event: 'add_to_cart', message_id: 'm-2' },
      { user_id: 'u1', message_id: 'm-3' },
    ];
    for (const [body, prefix] of [
      [items, ''],
      [{ batch: items, sent_at: '2024-12-07T10:00:05Z' }, '/batch'],
    ] as const) {
      const { events, rejected } = parseCollect(body, ctx);
      expect(events.map((e) => [e.messageId, e.properties])).toEqual([
        ['m-1', { product_id: 'p1', quantity: 2, price: 9.5 }],
      ]);
      expect(rejected).toEqual([
        { index: 1, messageId: 'm-2', reason: `${prefix}/1/user_id: user_id or client_id is required` },
        { index: 2, messageId: 'm-3', reason: `${prefix}/2/event: required for track: a non-empty string` },
      ]);
    }
  });

  it('keeps device and traits sent in context, the top-level fields winning', () => {
    const { events } = parseCollect(
      {
        user_id: 'u1',
        event: 'e',
        device_type: 'android',
        context: { device: { id: 'D1', type: 'web' }, traits: { name: 'Ann' } },
      },
      ctx,
    );
    expect(events[0].context).toMatchObject({
      device: { id: 'D1', type: 'android' },
      traits: { name: 'Ann' },
    });
  });

  it('accepts an explicit identify with traits', () => {
    const { events } = parseCollect(
      { type: 'identify', user_id: 'u1', traits: { name: 'Ann' }, email: 'a@x.io' },
      ctx,
    );
    expect(events[0]).toMatchObject({
      type: 'identify',
      event: 'Identify',
      traits: { name: 'Ann' },
      context: { traits: { email: 'a@x.io' } },
    });
  });

  it('rejects malformed fields and refuses a body that is no object', () => {
    expect(parseCollect({ client_id: { x: 1 }, event: 'e' }, ctx).rejected[0].reason).toBe(
      '/client_id: must be a string or a number',
    );
    expect(parseCollect({ client_id: 'c', event: 'e', type: 'visit' }, ctx).rejected[0].reason).toMatch(
      /^\/type: must be one of/,
    );
    expect(() => parseCollect('x', ctx)).toThrow(DataPulseError);
  });
});
