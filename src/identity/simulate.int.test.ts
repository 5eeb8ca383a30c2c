import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';
import { buildApp } from '../api/app.ts';
import { defaultIdentitySettings } from '../core/identity/index.ts';

/**
 * The rule simulator over events sent through the collection API. The workspace runs with
 * phones that do not identify; the proposals make emails not identify (stricter: profiles
 * split) or let phones identify (looser: profiles merge).
 */
describe('identity rule simulator', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let key: string;
  const auth = () => ({ authorization: `Bearer ${t.ownerToken}` });
  const rules = (overrides: Record<string, boolean>) => ({
    identifiers: defaultIdentitySettings.identifiers.map((r) =>
      r.kind in overrides ? { ...r, identifies: overrides[r.kind] } : r,
    ),
  });
  const today = rules({ phone: false });
  const ts = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const send = async (body: Record<string, unknown>) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: { 'x-write-key': key, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const simulate = (body: unknown) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/identity/simulate',
      headers: auth(),
      payload: body as object,
    });
  const profileOf = async (anonymousId: string) =>
    (
      await app.inject({
        url: `/api/v1/profiles?identifier=${encodeURIComponent(`anonymous_id:${anonymousId}`)}`,
        headers: auth(),
      })
    ).json().data[0].id;

  beforeAll(async () => {
    t = await createTestPlatform();
    app = await buildApp(t.platform);
    key = (
      await app.inject({ method: 'POST', url: '/api/v1/sources', headers: auth(), payload: { name: 'site' } })
    ).json().writeKey;
    const saved = await app.inject({
      method: 'PUT',
      url: '/api/v1/identity/settings',
      headers: auth(),
      payload: today,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    // Three people, each on two devices linked by an email (one profile each today).
    for (const n of [1, 2, 3]) {
      await send({
        anonymousId: `laptop-${n}`,
        traits: { email: `user${n}@example.ru` },
        timestamp: ts(60 - n),
      });
      await send({
        anonymousId: `phone-${n}`,
        traits: { email: `user${n}@example.ru` },
        timestamp: ts(50 - n),
      });
    }
    // Two devices sharing only a phone number: two profiles today.
    await send({ anonymousId: 'tablet-9', traits: { phone: '+7 916 555-00-11' }, timestamp: ts(40) });
    await send({ anonymousId: 'tv-9', traits: { phone: '8 (916) 555-00-11' }, timestamp: ts(30) });
    // Older than the window below: not replayed.
    await send({ anonymousId: 'old-1', traits: { email: 'old@example.ru' }, timestamp: ts(3 * 24 * 60) });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('today’s settings reproduce today’s profiles', async () => {
    const res = await simulate({ settings: today, days: 1 });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({
      days: 1,
      events: 8,
      truncated: false,
      currentProfiles: 5,
      proposedProfiles: 5,
      merges: { groups: 0, profiles: 0, examples: [] },
      splits: { profiles: 0, examples: [] },
      baseline: { proposedProfiles: 5, mergeGroups: 0, splitProfiles: 0 },
    });
  });

  it('a stricter rule (emails do not identify) splits the profiles emails linked', async () => {
    const r = (await simulate({ settings: rules({ phone: false, email: false }), days: 1 })).json();
    expect(r.currentProfiles).toBe(5);
    expect(r.proposedProfiles).toBe(8);
    expect(r.splits.profiles).toBe(3);
    expect(r.merges.groups).toBe(0);
    for (const e of r.splits.examples)
      expect(e.parts.map((p: { events: number }) => p.events)).toEqual([1, 1]);
    const laptop1 = await profileOf('laptop-1');
    const split1 = r.splits.examples.find((e: { profileId: string }) => e.profileId === laptop1);
    expect(split1.parts.map((p: { identifiers: string[] }) => p.identifiers[0]).sort()).toEqual([
      'email:user1@example.ru',
      'email:user1@example.ru',
    ]);
    expect(split1.parts.flatMap((p: { identifiers: string[] }) => p.identifiers)).toEqual(
      expect.arrayContaining(['anonymous_id:laptop-1', 'anonymous_id:phone-1']),
    );
    expect(r.baseline).toEqual({ proposedProfiles: 5, mergeGroups: 0, splitProfiles: 0 });
  });

  it('a looser rule (phones identify) merges the profiles a phone links, and changes nothing', async () => {
    const before = [await profileOf('tablet-9'), await profileOf('tv-9')];
    expect(before[0]).not.toBe(before[1]);
    const r = (await simulate({ settings: rules({}), days: 1 })).json();
    expect(r.proposedProfiles).toBe(4);
    expect(r.splits.profiles).toBe(0);
    expect(r.merges).toEqual({
      groups: 1,
      profiles: 2,
      examples: [
        {
          profileIds: [...before].sort(),
          events: 2,
          identifiers: expect.arrayContaining([
            'phone:+79165550011',
            'anonymous_id:tablet-9',
            'anonymous_id:tv-9',
          ]),
        },
      ],
    });
    expect([await profileOf('tablet-9'), await profileOf('tv-9')]).toEqual(before);
  });

  it('a wider window and a limit', async () => {
    const wide = (await simulate({ settings: today, days: 7 })).json();
    expect(wide).toMatchObject({ events: 9, currentProfiles: 6, truncated: false });
    const few = (await simulate({ settings: today, days: 7, limit: 3 })).json();
    expect(few).toMatchObject({ events: 3, truncated: true });
  });

  it('answers 400 naming the field for bad settings and bounds', async () => {
    const bad = await simulate({ settings: { identifiers: [{ kind: 'Email!' }], defaultCountry: 'XX' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['/settings/identifiers/0/kind', '/settings/defaultCountry']),
    );
    const days = await simulate({ settings: today, days: 0 });
    expect(days.statusCode).toBe(400);
    expect(days.json().error.details[0].path).toBe('/days');
    const extra = await simulate({ settings: today, dryRun: true });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.details[0].path).toBe('/dryRun');
  });
});
