import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';
import { buildApp } from '../api/app.ts';

describe.each(backends())('identity resolution through the collection API (%s PostgreSQL)', (backend) => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let key: string;
  const auth = () => ({ authorization: `Bearer ${t.ownerToken}` });
  const send = async (url: string, body: unknown) => {
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { 'x-write-key': key, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const get = async (url: string) => (await app.inject({ url: `/api/v1${url}`, headers: auth() })).json();
  const lookup = async (identifier: string) =>
    (await get(`/profiles?identifier=${encodeURIComponent(identifier)}`)).data?.[0];
  const ts = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

  beforeAll(async () => {
    t = await createTestPlatform({ backend });
    app = await buildApp(t.platform);
    key = (
      await app.inject({ method: 'POST', url: '/api/v1/sources', headers: auth(), payload: { name: 'site' } })
    ).json().writeKey;
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('writes a profile whose only change is a seen time later (with the next write or on shutdown)', async () => {
    await send('/v1/track', { userId: 'seen-1', event: 'Opened', timestamp: ts(10) });
    const before = await lookup('user_id:seen-1');
    // A late event moves firstSeen back: not written on the acknowledgement path…
    await send('/v1/track', { userId: 'seen-1', event: 'Old', timestamp: ts(60 * 24) });
    expect((await lookup('user_id:seen-1')).firstSeen).toBe(before.firstSeen);
    // …but by the deferred write (as on shutdown).
    await t.platform.identity.resolver.flushSeen();
    expect(Date.parse((await lookup('user_id:seen-1')).firstSeen)).toBeLessThan(Date.parse(before.firstSeen));
  });

  it('writes deferred seen times before a graph change drops the caches (settings saved)', async () => {
    await send('/v1/track', { userId: 'seen-2', event: 'Opened', timestamp: ts(10) });
    const before = await lookup('user_id:seen-2');
    await send('/v1/track', { userId: 'seen-2', event: 'Old', timestamp: ts(60 * 24) });
    expect((await lookup('user_id:seen-2')).firstSeen).toBe(before.firstSeen);
    const settings = await get('/identity/settings');
    const saved = await app.inject({
      method: 'PUT',
      url: '/api/v1/identity/settings',
      headers: auth(),
      payload: settings,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(Date.parse((await lookup('user_id:seen-2')).firstSeen)).toBeLessThan(Date.parse(before.firstSeen));
  });

  it('seed 004: an anonymous web visit, a later email login and a push token end in one profile', async () => {
    // Scenario 1: a new visitor with a generated client id.
    await send('/v1/collect', {
      client_id: 'cid-web-1',
      device_type: 'web',
      event: 'Page Viewed',
      timestamp: ts(30),
      properties: { url: '/' },
    });
    const anon = await lookup('anonymous_id:cid-web-1');
    expect(anon.identities.map((i: { type: string }) => i.type)).toContain('anonymous_id');
    // Scenario 2: the visitor signs in with an email (messy case) — same client id, now a user.
    await send('/v1/collect', {
      client_id: 'cid-web-1',
      user_id: 'u-1001',
      email: ' Ivan.Petrov@Example.RU ',
      event: 'Signed In',
      timestamp: ts(20),
    });
    const user = await lookup('email:ivan.petrov@example.ru');
    expect(user.id).toBe(anon.id);
    expect(user.identities.map((i: { type: string; value: string }) => `${i.type}:${i.value}`)).toEqual(
      expect.arrayContaining(['user_id:u-1001', 'anonymous_id:cid-web-1', 'email:ivan.petrov@example.ru']),
    );
    // Scenario 3: the app on a phone registers a push token for the same user.
    await send('/v1/collect', {
      client_id: 'cid-app-1',
      user_id: 'u-1001',
      device_type: 'android',
      push_token: 'fcm-token-1',
      event: 'Push Received',
      timestamp: ts(10),
    });
    const withPush = await get(`/profiles/${anon.id}`);
    expect(withPush.pushTokens).toMatchObject([
      { token: 'fcm-token-1', platform: 'android', invalidated: false },
    ]);
    // The anonymous page view belongs to the profile now.
    const timeline = await get(`/profiles/${anon.id}/events`);
    expect(timeline.data.map((e: { event: string }) => e.event).sort()).toEqual([
      'Page Viewed',
      'Push Received',
      'Signed In',
    ]);
  });

  it('normalises phones: 8 (916) … and +7916… are one number', async () => {
    await send('/v1/identify', { userId: 'u-phone', traits: { phone: '8 (916) 123-45-67' } });
    expect((await lookup('phone:+79161234567'))?.traits.phone).toBe('8 (916) 123-45-67');
    expect((await lookup('phone:+7 916 123 45 67'))?.id).toBe((await lookup('user_id:u-phone')).id);
  });

  it('merges two profiles that meet, keeps every event with the survivor, explains and undoes the merge', async () => {
    await send('/v1/track', {
      anonymousId: 'dev-a',
      event: 'Product Viewed',
      timestamp: ts(50),
      messageId: 'merge-a',
    });
    await send('/v1/identify', {
      anonymousId: 'dev-b',
      traits: { email: 'anna@example.ru', name: 'Анна' },
      timestamp: ts(40),
      messageId: 'merge-b',
    });
    const a = await lookup('anonymous_id:dev-a');
    const b = await lookup('anonymous_id:dev-b');
    expect(a.id).not.toBe(b.id);
    // One event carries both: they merge into the older profile (a).
    await send('/v1/track', {
      anonymousId: 'dev-a',
      context: { traits: { email: 'ANNA@example.ru' } },
      event: 'Order Completed',
      properties: { revenue: 10 },
      timestamp: ts(30),
      messageId: 'merge-c',
    });
    const merged = await get(`/profiles/${b.id}`);
    expect(merged.id).toBe(a.id);
    expect(merged.redirectedFrom).toBe(b.id);
    expect(merged.mergedFrom).toEqual([b.id]);
    expect(merged.traits.name).toBe('Анна');
    const ev = await get('/events?messageId=merge-b');
    expect(ev.data[0].profileId).toBe(a.id);
    const history = await get(`/profiles/${a.id}/merges`);
    expect(history.data).toMatchObject([
      { survivorId: a.id, mergedId: b.id, reason: 'exact_identifier', messageId: 'merge-c' },
    ]);
    expect(history.data[0].linkedBy).toEqual(
      expect.arrayContaining([{ kind: 'email', value: 'anna@example.ru' }]),
    );

    const undo = await app.inject({
      method: 'POST',
      url: `/api/v1/identity/merges/${history.data[0].id}/undo`,
      headers: auth(),
    });
    expect(undo.statusCode, undo.body).toBe(200);
    expect((await lookup('anonymous_id:dev-b')).id).toBe(b.id);
    expect((await get('/events?messageId=merge-b')).data[0].profileId).toBe(b.id);
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/identity/merges/${history.data[0].id}/undo`,
      headers: auth(),
    });
    expect(again.statusCode).toBe(409);
  });

  it('reports the survivor for events of one batch whose profiles merge later in that batch', async () => {
    await send('/v1/batch', {
      batch: [
        { type: 'page', anonymousId: 'flush-x', messageId: 'flush-1' },
        { type: 'page', anonymousId: 'flush-y', messageId: 'flush-2' },
        {
          type: 'identify',
          anonymousId: 'flush-x',
          traits: { email: 'same@example.ru' },
          messageId: 'flush-3',
        },
        {
          type: 'identify',
          anonymousId: 'flush-y',
          traits: { email: 'same@example.ru' },
          messageId: 'flush-4',
        },
      ],
    });
    const owners = new Set<string>();
    for (const id of ['flush-1', 'flush-2', 'flush-3', 'flush-4'])
      owners.add((await get(`/events?messageId=${id}`)).data[0].profileId);
    expect(owners.size).toBe(1);
    const [owner] = owners;
    expect((await app.inject({ url: `/api/v1/profiles/${owner}`, headers: auth() })).statusCode).toBe(200);
  });

  it('never merges two user ids; a device seen with a second user is marked shared', async () => {
    await send('/v1/identify', { userId: 'mother', anonymousId: 'family-tablet', traits: { name: 'Мама' } });
    await send('/v1/identify', { userId: 'son', anonymousId: 'family-tablet', traits: { name: 'Сын' } });
    const mother = await lookup('user_id:mother');
    const son = await lookup('user_id:son');
    expect(mother.id).not.toBe(son.id);
    expect(mother.identities.find((i: { type: string }) => i.type === 'anonymous_id')).toMatchObject({
      value: 'family-tablet',
      shared: true,
    });
    expect(son.traits.name).toBe('Сын');
    expect(mother.traits.name).toBe('Мама');
  });

  it('a late event never overwrites a newer trait value', async () => {
    await send('/v1/identify', { userId: 'late', traits: { city: 'Казань' }, timestamp: ts(5) });
    await send('/v1/identify', { userId: 'late', traits: { city: 'Москва' }, timestamp: ts(60) });
    const p = await lookup('user_id:late');
    expect(p.traits.city).toBe('Казань');
  });

  it('searches by name, email and phone prefix', async () => {
    const byName = await get(`/profiles?q=${encodeURIComponent('Анн')}`);
    expect(byName.data.map((p: { traits: { name?: string } }) => p.traits.name)).toContain('Анна');
    expect((await get('/profiles?q=ivan.pet')).data).toHaveLength(1);
    expect((await get(`/profiles?q=${encodeURIComponent('8 916 123')}`)).data.length).toBeGreaterThanOrEqual(
      0,
    );
    expect((await app.inject({ url: '/api/v1/profiles?q=a', headers: auth() })).statusCode).toBe(400);
  });

  it('exports profiles as NDJSON, CSV and XLSX', async () => {
    const nd = await app.inject({ url: '/api/v1/profiles/export?format=ndjson', headers: auth() });
    const rows = nd.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.length).toBe(Number(nd.headers['x-total-count']));
    const csv = await app.inject({ url: '/api/v1/profiles/export?format=csv', headers: auth() });
    expect(csv.body.split('\n')[0]).toBe('id,createdAt,firstSeen,lastSeen,identities,traits');
    const xlsx = await app.inject({ url: '/api/v1/profiles/export?format=xlsx', headers: auth() });
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('erases a profile with its events; a replay does not resurrect it', async () => {
    await send('/v1/identify', {
      userId: 'forget-me',
      traits: { email: 'forget@example.ru' },
      messageId: 'erase-1',
    });
    await send('/v1/track', { userId: 'forget-me', event: 'Viewed', messageId: 'erase-2' });
    const p = await lookup('user_id:forget-me');
    const del = await app.inject({ method: 'DELETE', url: `/api/v1/profiles/${p.id}`, headers: auth() });
    expect(del.statusCode, del.body).toBe(200);
    expect((await app.inject({ url: `/api/v1/profiles/${p.id}`, headers: auth() })).statusCode).toBe(404);
    expect((await get('/events?userId=forget-me')).data).toHaveLength(0);
    await send('/v1/track', { userId: 'forget-me', event: 'Viewed', messageId: 'erase-2' });
    expect((await get('/events?messageId=erase-2')).data).toHaveLength(0);
  });

  it('validates identity settings with JSON paths and applies them', async () => {
    const bad = await app.inject({
      method: 'PUT',
      url: '/api/v1/identity/settings',
      headers: auth(),
      payload: { defaultCountry: 12 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toMatch(/defaultCountry/);
    const ok = await app.inject({
      method: 'PUT',
      url: '/api/v1/identity/settings',
      headers: auth(),
      payload: { defaultCountry: 'GB' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await get('/identity/settings')).defaultCountry).toBe('GB');
  });
});
