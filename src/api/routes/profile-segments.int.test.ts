/** GET /profiles/{id} lists the segments the profile is a member of now. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, apiFixture, daysAgo } from '../../segments/testing/api-fixture.ts';

describe('profile view: segments', () => {
  let f: ApiFixture;
  const pid: Record<string, string> = {};

  beforeAll(async () => {
    f = await apiFixture();
    await f.send([
      { type: 'identify', userId: 'u1', traits: { city: 'Москва' }, timestamp: daysAgo(5) },
      { type: 'identify', userId: 'u2', traits: { city: 'Казань' }, timestamp: daysAgo(5) },
      {
        type: 'track',
        userId: 'u1',
        event: 'Order Completed',
        properties: { revenue: 10 },
        timestamp: daysAgo(1),
      },
    ]);
    for (const u of ['u1', 'u2']) pid[u] = await f.profileOf(u);
  });
  afterAll(async () => {
    await f?.close();
  });

  const segmentsOf = async (profileId: string) =>
    (await f.ok<{ id: string; segments: string[] }>('GET', `/profiles/${profileId}`)).segments;

  it('lists current memberships, and drops a deleted segment', async () => {
    expect(await segmentsOf(pid.u1)).toEqual([]);
    const moscow = await f.segment('Moscow', { trait: 'city', op: 'eq', value: 'Москва' });
    const buyers = await f.segment('Buyers', { event: 'Order Completed', within: { days: 30 } });
    const kazan = await f.segment('Kazan', { trait: 'city', op: 'eq', value: 'Казань' });
    expect(await segmentsOf(pid.u1)).toEqual([String(moscow.id), String(buyers.id)].sort());
    expect(await segmentsOf(pid.u2)).toEqual([String(kazan.id)]);

    await f.ok('DELETE', `/segments/${moscow.id}`);
    expect(await segmentsOf(pid.u1)).toEqual([String(buyers.id)]);
  });

  it('still answers 404 for an unknown profile', async () => {
    const res = await f.call('GET', '/profiles/p_unknown');
    expect(res.statusCode).toBe(404);
  });
});
