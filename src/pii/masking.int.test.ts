import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, apiFixture, daysAgo } from '../segments/testing/api-fixture.ts';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, read loosely in assertions
type Json = Record<string, any>;

/** Masking for roles without `pii:read`, on every way PII leaves: REST, exports, GraphQL. */
describe('PII masking by role', () => {
  let f: ApiFixture;
  let viewer: string;
  let analyst: string;
  let marketer: string;
  let profileId: string;
  let segmentId: string;

  const token = async (role: string) =>
    (await f.ok<{ token: string }>('POST', '/tokens', { name: `${role} token`, role })).token;

  beforeAll(async () => {
    f = await apiFixture();
    await f.send([
      {
        type: 'identify',
        userId: 'ivan',
        traits: {
          email: 'ivan.petrov@mail.ru',
          phone: '+79161234567',
          name: 'Ivan Petrov',
          address: { city: 'Moscow', street: 'Tverskaya 1' },
          passport: '4510 123456',
          plan: 'pro',
        },
        timestamp: daysAgo(1),
      },
      {
        type: 'track',
        userId: 'ivan',
        event: 'Order Completed',
        properties: { email: 'gift@mail.ru', total: 10 },
        context: { traits: { firstName: 'Ivan' } },
        timestamp: daysAgo(1),
      },
    ]);
    viewer = await token('viewer');
    analyst = await token('analyst');
    marketer = await token('marketer');
    profileId = await f.profileOf('ivan');
    segmentId = (await f.segment('Pros', { trait: 'plan', op: 'eq', value: 'pro' })).id as string;
  });
  afterAll(async () => {
    await f?.close();
  });

  it('masks a profile for viewer and analyst, not for owner or marketer', async () => {
    for (const t of [viewer, analyst]) {
      const p = await f.ok<Json>('GET', `/profiles/${profileId}`, undefined, t);
      expect(p.traits).toMatchObject({
        email: 'i***@m***.ru',
        phone: '+7 *** ***-45-67',
        name: 'I***',
        address: { city: 'M***', street: 'T***' },
        passport: '4510 123456',
        plan: 'pro',
      });
      const ids = Object.fromEntries(
        p.identities.map((i: { type: string; value: string }) => [i.type, i.value]),
      );
      expect(ids).toMatchObject({ email: 'i***@m***.ru', phone: '+7 *** ***-45-67', user_id: 'ivan' });
      expect(JSON.stringify(p)).not.toContain('ivan.petrov');
      expect(JSON.stringify(p)).not.toContain('9161234567');
    }
    for (const t of [f.t.ownerToken, marketer]) {
      const p = await f.ok<Json>('GET', `/profiles/${profileId}`, undefined, t);
      expect(p.traits.email).toBe('ivan.petrov@mail.ru');
    }
  });

  it('finds a profile by email or phone for a viewer, answering masked', async () => {
    const byEmail = await f.ok<{ data: Json[] }>(
      'GET',
      `/profiles?identifier=${encodeURIComponent('email:ivan.petrov@mail.ru')}`,
      undefined,
      viewer,
    );
    expect(byEmail.data[0].id).toBe(profileId);
    expect(byEmail.data[0].traits.email).toBe('i***@m***.ru');
    const search = await f.ok<{ data: Json[] }>('GET', '/profiles?q=ivan.petrov', undefined, viewer);
    expect(search.data.map((p) => p.id)).toContain(profileId);
    expect(JSON.stringify(search)).not.toContain('ivan.petrov@');
  });

  it('masks events: traits, context.traits and PII-named properties', async () => {
    for (const url of [`/profiles/${profileId}/events`, `/events?profileId=${profileId}`]) {
      const page = await f.ok<{ data: Json[] }>('GET', url, undefined, viewer);
      const order = page.data.find((e) => e.event === 'Order Completed')!;
      expect(order.properties).toEqual({ email: 'g***@m***.ru', total: 10 });
      expect(order.context.traits).toEqual({ firstName: 'I***' });
      const identify = page.data.find((e) => e.type === 'identify')!;
      expect(identify.traits.phone).toBe('+7 *** ***-45-67');
    }
    const exported = await f.call('GET', `/events/export?profileId=${profileId}`, undefined, analyst);
    expect(exported.statusCode).toBe(200);
    expect(exported.body).toContain('i***@m***.ru');
    expect(exported.body).not.toContain('ivan.petrov@');
    expect(exported.body).not.toContain('gift@');
  });

  it('masks profile and segment exports, members and previews', async () => {
    for (const format of ['ndjson', 'csv']) {
      const res = await f.call('GET', `/profiles/export?format=${format}`, undefined, analyst);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('i***@m***.ru');
      expect(res.body).not.toContain('ivan.petrov@');
      const seg = await f.call(
        'GET',
        `/segments/${segmentId}/export?format=${format}&traits=name,plan`,
        undefined,
        analyst,
      );
      expect(seg.statusCode).toBe(200);
      expect(seg.body).toContain('+7 *** ***-45-67');
      expect(seg.body).toContain('I***');
      expect(seg.body).not.toContain('9161234567');
    }
    const full = await f.call(
      'GET',
      `/segments/${segmentId}/export?format=ndjson`,
      undefined,
      f.t.ownerToken,
    );
    expect(full.body).toContain('ivan.petrov@mail.ru');
    const members = await f.ok<{ data: Json[] }>('GET', `/segments/${segmentId}/members`, undefined, viewer);
    expect(members.data[0].traits.email).toBe('i***@m***.ru');
    expect(members.data[0].identifiers.email).toEqual(['i***@m***.ru']);
    const preview = await f.ok<{ sample: Json[] }>(
      'POST',
      '/segments/preview',
      { rule: { trait: 'plan', op: 'eq', value: 'pro' } },
      viewer,
    );
    expect(JSON.stringify(preview.sample)).not.toContain('ivan.petrov@');
  });

  it('masks GraphQL profile reads', async () => {
    const res = await f.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${viewer}`, 'content-type': 'application/json' },
      payload: JSON.stringify({
        query: 'query ($id: ID!) { profile(id: $id) }',
        variables: { id: profileId },
      }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.profile.traits.email).toBe('i***@m***.ru');
  });

  it('masks both profiles of an identity review candidate', async () => {
    await f.send([
      { type: 'identify', userId: 'ivan-2', traits: { email: 'i.petrov@mail.ru', name: 'Ivan' } },
    ]);
    const other = await f.profileOf('ivan-2');
    const [a, b] = [profileId, other].sort();
    await f.t.platform.stores.pg.db.execute(
      sql`insert into match_candidates (id, workspace_id, profile_a, profile_b, score, features, status, created_at)
          values ('cand_pii', ${f.workspaceId}, ${a}, ${b}, 0.8, '[]'::jsonb, 'pending', now())`,
    );
    const list = await f.ok<{ data: Json[] }>('GET', '/identity/candidates', undefined, viewer);
    const text = JSON.stringify(list);
    expect(text).toContain('i***@m***.ru');
    expect(text).not.toContain('petrov@');
    const one = await f.ok<Json>('GET', '/identity/candidates/cand_pii', undefined, analyst);
    expect(JSON.stringify(one)).not.toContain('petrov@');
    const full = await f.ok<Json>('GET', '/identity/candidates/cand_pii');
    expect(JSON.stringify(full)).toContain('ivan.petrov@mail.ru');
  });

  it('refuses every export to a viewer with 403', async () => {
    for (const url of ['/events/export', '/profiles/export', `/segments/${segmentId}/export`]) {
      const res = await f.call('GET', url, undefined, viewer);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
  });

  it('masks the traits a workspace marks as PII; only owner and admin change the list', async () => {
    expect((await f.call('PUT', '/settings/pii', { fields: ['passport'] }, analyst)).statusCode).toBe(403);
    const bad = await f.call('PUT', '/settings/pii', { fields: ['ok', 'not valid!'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('/fields/1');
    const saved = await f.ok<{ defaults: string[]; fields: string[] }>('PUT', '/settings/pii', {
      fields: ['passport', 'email', 'passport'],
    });
    expect(saved.fields).toEqual(['passport']);
    expect(saved.defaults).toContain('email');
    expect((await f.ok<{ fields: string[] }>('GET', '/settings/pii', undefined, viewer)).fields).toEqual([
      'passport',
    ]);
    const p = await f.ok<Json>('GET', `/profiles/${profileId}`, undefined, viewer);
    expect(p.traits.passport).toBe('***');
    expect(p.traits.plan).toBe('pro');
  });
});
