import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataPulseError } from '../errors.ts';
import { extractWriteKey } from './auth.ts';
import { decodeBody } from './body.ts';
import { parseCollect } from './collect.ts';
import { parseJitsuEvent } from './jitsu.ts';
import { parsePostHogCapture } from './posthog.ts';
import { parseSegmentBatch, parseSegmentSingle } from './segment.ts';
import type { ParseContext, ParseResult } from './types.ts';

const ctx: ParseContext = {
  receivedAt: new Date('2024-06-01T12:00:00Z'),
  ip: '203.0.113.7',
  headers: { sentat: 'x' },
};

const parsers: Array<[string, (body: unknown) => ParseResult]> = [
  ['segment batch', (b) => parseSegmentBatch(b, ctx)],
  ...['track', 't', 'identify', 'page', 'screen', 'group', 'alias'].map(
    (route): [string, (body: unknown) => ParseResult] => [
      `segment ${route}`,
      (b) => parseSegmentSingle(route, b, ctx),
    ],
  ),
  ['posthog', (b) => parsePostHogCapture(b, ctx)],
  ['jitsu', (b) => parseJitsuEvent('track', b, ctx)],
  ['collect', (b) => parseCollect(b, ctx)],
];

/** Keys the parsers look at, so random objects reach past the first type check. */
const KEYS = [
  'batch',
  'data',
  'type',
  'event',
  'name',
  'userId',
  'anonymousId',
  'messageId',
  'groupId',
  'previousId',
  'timestamp',
  'originalTimestamp',
  'sentAt',
  'sent_at',
  'offset',
  'context',
  'properties',
  'traits',
  'integrations',
  'writeKey',
  'api_key',
  'token',
  'distinct_id',
  'uuid',
  '$set',
  '$set_once',
  'client_id',
  'user_id',
  'email',
  'phone',
  'device_type',
  'push_token',
  '__proto__',
  'constructor',
  'ip',
  'library',
  '$device_id',
  '$anon_distinct_id',
  '$is_identified',
  '$group_key',
  '$group_type',
  'alias',
  '$screen_name',
];
const VALUES = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    'track',
    'page',
    'identify',
    'group',
    'alias',
    'screen',
    '$identify',
    '$pageview',
    '$create_alias',
    '$groupidentify',
    '$set',
    '',
    '***',
    '2024-06-01T11:00:00Z',
    '2024-02-30',
    '1899-01-01',
    '9999-12-31T00:00:00Z',
  ),
  fc.double(),
  fc.integer(),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.string({ maxLength: 120 }),
);
const flat = fc.dictionary(fc.constantFrom(...KEYS), VALUES, { maxKeys: 8 });
/** An object over the parsers' keys, nested two levels (a message with context/properties objects). */
const message = fc.dictionary(
  fc.constantFrom(...KEYS),
  fc.oneof(VALUES, flat, fc.array(flat, { maxLength: 3 })),
  {
    maxKeys: 12,
  },
);
/** Valid messages of each dialect, then up to four fields (top-level or in `properties`) replaced or removed. */
const TEMPLATES: Array<Record<string, unknown>> = [
  {
    type: 'track',
    event: 'Signed Up',
    userId: 'u1',
    messageId: 'm1',
    timestamp: '2024-06-01T11:00:00Z',
    properties: { a: 1 },
  },
  { type: 'identify', anonymousId: 'a1', traits: { email: 'a@x.io' }, context: { library: { name: 'x' } } },
  { type: 'page', anonymousId: 'a1', name: 'Home', category: 'Docs', properties: { url: 'https://x' } },
  {
    type: 'group',
    userId: 7,
    groupId: 'g1',
    originalTimestamp: '2024-06-01T11:00:00Z',
    sentAt: '2024-06-01T11:00:01Z',
  },
  { type: 'alias', userId: 'u1', previousId: 'a1', integrations: { All: true } },
  {
    event: '$identify',
    distinct_id: 'u1',
    properties: { $anon_distinct_id: 'd1', $set: { a: 1 }, token: 'k' },
    uuid: 'x',
  },
  {
    event: '$pageview',
    properties: { distinct_id: 'd1', $device_id: 'd1', $current_url: 'https://x' },
    offset: 10,
  },
  {
    event: '$groupidentify',
    distinct_id: '$co_1',
    properties: { $group_type: 'co', $group_key: 1, $group_set: {} },
  },
  { event: '$create_alias', distinct_id: 'u1', properties: { alias: 'a1', $is_identified: true } },
  {
    event: '$screen',
    distinct_id: 'u1',
    properties: { $screen_name: 'Cart', $set_once: { a: 1 } },
    sent_at: 1,
  },
  {
    client_id: 'c1',
    device_type: 'web',
    push_token: 't',
    event: 'page_visit',
    timestamp: '2024-12-07T10:00:00Z',
  },
];
/** A change to a template: mostly one of its own fields (top-level or in `properties`), sometimes any key. */
function changesFor(template: Record<string, unknown>) {
  const own = [...Object.keys(template), ...Object.keys((template.properties as object) ?? {})];
  const key = fc.oneof(fc.constantFrom(...own), fc.constantFrom(...KEYS));
  return fc.array(fc.tuple(fc.boolean(), key, fc.option(VALUES, { nil: undefined, freq: 2 })), {
    maxLength: 4,
  });
}
const validish = fc
  .constantFrom(...TEMPLATES)
  .chain((template) => changesFor(template).map((changes) => [template, changes] as const))
  .map(([template, changes]) => {
    const templateProps = (template.properties as Record<string, unknown>) ?? {};
    const top = new Map(Object.entries(template));
    const props = new Map(Object.entries(templateProps));
    for (const [coin, key, value] of changes) {
      const inProperties = Object.hasOwn(templateProps, key) || (!Object.hasOwn(template, key) && coin);
      const target = inProperties ? props : top;
      if (value === undefined) target.delete(key);
      else target.set(key, value);
    }
    if (top.get('properties') === template.properties && props.size > 0)
      top.set('properties', Object.fromEntries(props));
    return Object.fromEntries(top);
  });
const item = fc.oneof(validish, validish, message);
const bodyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  item,
  fc.array(item, { maxLength: 6 }),
  fc.tuple(message, fc.array(item, { maxLength: 6 })).map(([m, batch]) => ({ ...m, batch })),
  fc
    .array(item, { maxLength: 6 })
    .map((batch) => ({ batch, sentAt: '2024-06-01T11:00:05Z', context: { ip: '1.2.3.4' } })),
);

const encodings = fc.constantFrom(undefined, 'gzip', 'x-gzip', 'deflate', 'identity', 'br', 'gzip, gzip', '');

/** Bytes as they may arrive: JSON, random bytes, gzip truncated or with a flipped byte. */
const bodyBytes = fc.oneof(
  bodyValue.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)),
  fc.tuple(bodyValue, fc.nat()).map(([v, cut]) => {
    const gz = gzipSync(JSON.stringify(v) ?? 'null');
    return gz.subarray(0, cut % gz.length);
  }),
  fc.tuple(bodyValue, fc.nat(), fc.integer({ min: 1, max: 255 })).map(([v, at, xor]) => {
    const gz = Buffer.from(gzipSync(JSON.stringify(v) ?? 'null'));
    gz[at % gz.length] ^= xor;
    return gz;
  }),
  bodyValue.map((v) => gzipSync(JSON.stringify(v) ?? 'null')),
);

function expectClientError(err: unknown): void {
  if (!(err instanceof DataPulseError)) throw err;
  expect(err.status).toBeGreaterThanOrEqual(400);
  expect(err.status).toBeLessThan(500);
}

/** How many items a body holds when it is a plain batch or array, else null. */
function itemCount(body: unknown): number | null {
  if (Array.isArray(body)) return body.length;
  if (typeof body === 'object' && body !== null && Array.isArray((body as { batch?: unknown }).batch)) {
    return (body as { batch: unknown[] }).batch.length;
  }
  return null;
}

function checkResult(result: ParseResult, body?: unknown): void {
  const count = itemCount(body);
  if (count !== null) expect(result.events.length + result.rejected.length).toBe(count);
  for (const e of result.events) {
    expect(typeof e.messageId).toBe('string');
    expect(e.messageId.length).toBeLessThan(100);
    expect(e.userId !== null || e.anonymousId !== null).toBe(true);
    expect(e.event.length).toBeGreaterThan(0);
    expect(Number.isNaN(e.timestamp.getTime())).toBe(false);
    expect(Buffer.byteLength(JSON.stringify(e))).toBeLessThanOrEqual(32 * 1024);
  }
  for (const r of result.rejected) expect(r.reason).toMatch(/^(\/|body:)/);
}

describe('collection API on garbage input', () => {
  it('decodeBody only ever throws client DataPulseErrors', () => {
    fc.assert(
      fc.property(bodyBytes, encodings, (buf, encoding) => {
        try {
          decodeBody(buf, { 'content-encoding': encoding });
        } catch (err) {
          expectClientError(err);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('every parser gives an outcome per item or a client DataPulseError, never a crash', () => {
    fc.assert(
      fc.property(bodyValue, (value) => {
        expect(() => extractWriteKey({ body: value, headers: {}, query: {} })).not.toThrow();
        for (const [name, parse] of parsers) {
          try {
            checkResult(parse(value), name === 'segment batch' ? value : undefined);
          } catch (err) {
            expectClientError(err);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('decoded wire bytes through every parser never crash', () => {
    fc.assert(
      fc.property(bodyBytes, (buf) => {
        let value: unknown;
        try {
          value = decodeBody(buf);
        } catch (err) {
          expectClientError(err);
          return;
        }
        for (const [, parse] of parsers) {
          try {
            checkResult(parse(value));
          } catch (err) {
            expectClientError(err);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never pollutes Object.prototype', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});
