import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';
import { buildApp } from './app.ts';

describe('collection API over HTTP', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let writeKey: string;
  const bearer = () => ({ authorization: `Bearer ${t.ownerToken}` });
  const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });
  const events = async (q: string) =>
    (await app.inject({ url: `/api/v1/events?${q}`, headers: bearer() })).json().data as Record<
      string,
      unknown
    >[];

  beforeAll(async () => {
    t = await createTestPlatform();
    app = await buildApp(t.platform);
    writeKey = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/sources',
        headers: bearer(),
        payload: { name: 'web' },
      })
    ).json().writeKey;
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload),
    });

  it.each([
    ['Basic auth', (k: string) => ({ url: '/v1/track', headers: basic(k), body: {} })],
    ['X-Write-Key', (k: string) => ({ url: '/v1/track', headers: { 'x-write-key': k }, body: {} })],
    ['?writeKey=', (k: string) => ({ url: `/v1/track?writeKey=${k}`, headers: {}, body: {} })],
    ['body writeKey', (k: string) => ({ url: '/v1/track', headers: {}, body: { writeKey: k } })],
  ])('accepts %s and stores the event, readable at once', async (name, make) => {
    const { url, headers, body } = make(writeKey);
    const messageId = `auth-${name.replace(/\W/g, '')}`;
    const res = await post(
      url,
      { ...body, userId: 42, event: 'Signed Up', messageId, properties: { plan: 'pro' } },
      headers,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ success: true });
    const [e] = await events(`messageId=${messageId}`);
    expect(e).toMatchObject({
      messageId,
      type: 'track',
      event: 'Signed Up',
      userId: '42',
      properties: { plan: 'pro' },
    });
    expect(JSON.stringify(e)).not.toContain(writeKey);
  });

  it('answers 401 JSON for a missing, unknown or revoked key', async () => {
    expect((await post('/v1/track', { userId: 'u', event: 'x' })).statusCode).toBe(401);
    const unknown = await post('/v1/track', { userId: 'u', event: 'x' }, basic('c000000000000000000000000'));
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('unauthorized');
    const src = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/sources',
        headers: bearer(),
        payload: { name: 'tmp' },
      })
    ).json();
    expect((await post('/v1/track', { userId: 'u', event: 'x' }, basic(src.writeKey))).statusCode).toBe(200);
    await app.inject({ method: 'DELETE', url: `/api/v1/sources/${src.id}`, headers: bearer() });
    expect((await post('/v1/track', { userId: 'u', event: 'x' }, basic(src.writeKey))).statusCode).toBe(401);
  });

  it('decodes gzip with and without the Content-Encoding header, whatever the Content-Type', async () => {
    const body = gzipSync(
      JSON.stringify({ batch: [{ type: 'track', event: 'Zipped', userId: 'z', messageId: 'gz-1' }] }),
    );
    const withHeader = await post('/v1/batch', body, {
      ...basic(writeKey),
      'content-encoding': 'gzip',
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(withHeader.statusCode).toBe(200);
    const body2 = gzipSync(
      JSON.stringify({ batch: [{ type: 'track', event: 'Zipped', userId: 'z', messageId: 'gz-2' }] }),
    );
    const sniffed = await post('/v1/b', body2, { ...basic(writeKey), 'content-type': 'text/plain' });
    expect(sniffed.statusCode).toBe(200);
    expect((await events('event=Zipped')).map((e) => e.messageId).sort()).toEqual(['gz-1', 'gz-2']);
  });

  it('rejects an oversize item inside a batch on its own and stores the rest', async () => {
    const res = await post(
      '/v1/batch',
      {
        batch: [
          { type: 'track', event: 'Ok', userId: 'u', messageId: 'big-0' },
          {
            type: 'track',
            event: 'Big',
            userId: 'u',
            messageId: 'big-1',
            properties: { blob: 'x'.repeat(40_000) },
          },
        ],
      },
      basic(writeKey),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().rejected).toEqual([{ index: 1, messageId: 'big-1', reason: expect.any(String) }]);
    expect(await events('messageId=big-0')).toHaveLength(1);
    expect(await events('messageId=big-1')).toHaveLength(0);
  });

  it('answers 400 for 2,501 events, bad JSON and a non-array batch; 413 over the body limit', async () => {
    const many = {
      batch: Array.from({ length: 2501 }, (_, i) => ({
        type: 'track',
        event: 'e',
        userId: 'u',
        messageId: `m${i}`,
      })),
    };
    const tooMany = await post('/v1/batch', many, basic(writeKey));
    expect([400, 413]).toContain(tooMany.statusCode);
    const bad = await post('/v1/batch', '{"batch":[', basic(writeKey));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    expect((await post('/v1/batch', { batch: {} }, basic(writeKey))).statusCode).toBe(400);
    const huge = await post('/v1/batch', { batch: [], pad: 'x'.repeat(600_000) }, basic(writeKey));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('payload_too_large');
  });

  it('answers 400 naming the field for a single message that breaks a rule', async () => {
    const res = await post('/v1/track', { userId: 'u' }, basic(writeKey));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toMatch(/event/);
  });

  it('never stores a replayed messageId twice (same batch, next batch)', async () => {
    const msg = { type: 'track', event: 'Replay', userId: 'r', messageId: 'replay-1' };
    expect((await post('/v1/batch', { batch: [msg, msg] }, basic(writeKey))).statusCode).toBe(200);
    expect((await post('/v1/batch', { batch: [msg] }, basic(writeKey))).statusCode).toBe(200);
    expect((await post('/v1/track', msg, basic(writeKey))).statusCode).toBe(200);
    expect(await events('messageId=replay-1')).toHaveLength(1);
  });

  it('merges batch context into items, corrects clock skew and fills context.ip', async () => {
    const sentAt = new Date(Date.now() + 3600_000).toISOString(); // device clock one hour fast
    const original = new Date(Date.now() + 3600_000 - 5000).toISOString();
    await post(
      '/v1/batch',
      {
        sentAt,
        context: { locale: 'ru-RU', app: { name: 'shop' } },
        batch: [
          {
            type: 'track',
            event: 'Skew',
            userId: 's',
            messageId: 'skew-1',
            originalTimestamp: original,
            context: { app: { version: '2' } },
          },
        ],
      },
      basic(writeKey),
    );
    const [e] = await events('messageId=skew-1');
    const ts = new Date(e.timestamp as string).getTime();
    expect(Math.abs(ts - (Date.now() - 5000))).toBeLessThan(3000);
    expect(e.context).toMatchObject({ locale: 'ru-RU', ip: expect.any(String) });
  });

  it('answers CORS preflights and puts CORS headers on every response', async () => {
    const pre = await app.inject({
      method: 'OPTIONS',
      url: '/v1/batch',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, anonymousid',
      },
    });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(pre.headers['access-control-allow-credentials']).toBe('true');
    expect(String(pre.headers['access-control-allow-headers'])).toMatch(/X-Write-Key/);
    const res = await post(
      '/v1/track',
      { userId: 'c', event: 'Cors' },
      { ...basic(writeKey), origin: 'https://shop.example' },
    );
    expect(res.headers['access-control-allow-origin']).toBe('https://shop.example');
  });

  it('serves the SDK config routes and PostHog flags', async () => {
    const settings = (
      await app.inject({ url: `/v1/projects/${writeKey}/settings`, headers: { host: 'localhost:8080' } })
    ).json();
    expect(settings.integrations['Segment.io']).toEqual({
      apiKey: writeKey,
      apiHost: 'localhost:8080/v1',
      protocol: 'http',
    });
    const rudder = (await app.inject({ url: `/sourceConfig/?writeKey=${writeKey}` })).json();
    expect(rudder.source).toMatchObject({ enabled: true, destinations: [] });
    expect((await post('/flags/?v=2', { token: writeKey, distinct_id: 'x' })).statusCode).toBe(200);
    expect((await post('/decide/?v=3', { token: writeKey, distinct_id: 'x' })).statusCode).toBe(200);
    expect((await post('/v1/m', { series: [] })).json()).toEqual({ success: true });
  });

  it('maps PostHog capture, Jitsu and the seed 004 tracker to the same events', async () => {
    const ph = await post(
      '/batch/',
      gzipSync(
        JSON.stringify({
          api_key: writeKey,
          batch: [
            {
              event: '$pageview',
              distinct_id: 'ph-user',
              uuid: '0190f0a0-0000-7000-8000-000000000001',
              properties: { $current_url: 'https://x' },
              timestamp: new Date().toISOString(),
            },
          ],
        }),
      ),
      { 'content-encoding': 'gzip' },
    );
    expect(ph.statusCode).toBe(200);
    const jitsu = await post(
      '/api/s/track',
      { type: 'track', event: 'Jitsu Event', userId: 'j', messageId: 'jitsu-1', writeKey: '***' },
      { 'x-write-key': writeKey },
    );
    expect(jitsu.statusCode).toBe(200);
    expect(jitsu.json()).toEqual({ ok: true });
    const seed = await post(
      '/v1/collect',
      {
        client_id: 'cid-1',
        device_type: 'android',
        push_token: 'tok',
        user_id: 'u-4',
        email: 'A@B.ru',
        phone: '+7 916 123-45-67',
        event: 'Product Viewed',
        timestamp: new Date().toISOString(),
        properties: { product_id: 'p1' },
      },
      basic(writeKey),
    );
    expect(seed.statusCode).toBe(200);
    expect(await events('messageId=0190f0a0-0000-7000-8000-000000000001')).toMatchObject([
      { type: 'page', event: 'Page Viewed', userId: 'ph-user' },
    ]);
    expect(await events('messageId=jitsu-1')).toMatchObject([{ event: 'Jitsu Event', userId: 'j' }]);
    expect(await events('userId=u-4')).toMatchObject([{ event: 'Product Viewed', anonymousId: 'cid-1' }]);
  });

  it('exports events as NDJSON and CSV', async () => {
    const nd = await app.inject({
      url: '/api/v1/events/export?format=ndjson&event=Zipped',
      headers: bearer(),
    });
    expect(nd.statusCode).toBe(200);
    const lines = nd.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.messageId).sort()).toEqual(['gz-1', 'gz-2']);
    const csv = await app.inject({ url: '/api/v1/events/export?format=csv&event=Zipped', headers: bearer() });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\n')[0]).toMatch(/^messageId,type,event/);
    expect(csv.body).toContain('gz-1');
  });

  it('pages events with a cursor', async () => {
    for (let i = 0; i < 5; i++)
      await post(
        '/v1/track',
        {
          userId: 'pager',
          event: 'Paged',
          messageId: `page-${i}`,
          timestamp: new Date(Date.now() - i * 1000).toISOString(),
        },
        basic(writeKey),
      );
    const first = (await app.inject({ url: '/api/v1/events?event=Paged&limit=3', headers: bearer() })).json();
    const second = (
      await app.inject({
        url: `/api/v1/events?event=Paged&limit=3&cursor=${first.nextCursor}`,
        headers: bearer(),
      })
    ).json();
    expect([...first.data, ...second.data].map((e: { messageId: string }) => e.messageId)).toEqual([
      'page-0',
      'page-1',
      'page-2',
      'page-3',
      'page-4',
    ]);
    expect(second.nextCursor).toBeNull();
  });

  it('counts events by name, most frequent first, within a range', async () => {
    const at = '2020-02-02T10:00:00.000Z';
    const batch = [
      ...[1, 2, 3].map((i) => ({ type: 'track', userId: `st-${i}`, event: 'Stat A', timestamp: at })),
      { type: 'track', userId: 'st-1', event: 'Stat A', timestamp: at },
      { type: 'track', userId: 'st-1', event: 'Stat B', timestamp: at },
      { type: 'track', userId: 'st-1', event: 'Stat C', timestamp: '2020-03-01T00:00:00.000Z' },
    ];
    expect((await post('/v1/batch', { batch }, basic(writeKey))).statusCode).toBe(200);
    const res = await app.inject({
      url: '/api/v1/events/stats?type=track&from=2020-02-01T00:00:00Z&to=2020-02-03T00:00:00Z',
      headers: bearer(),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toEqual([
      { event: 'Stat A', type: 'track', count: 4, profiles: 3 },
      { event: 'Stat B', type: 'track', count: 1, profiles: 1 },
    ]);
    const bad = await app.inject({ url: '/api/v1/events/stats?from=yesterday', headers: bearer() });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('/from');
  });
});
