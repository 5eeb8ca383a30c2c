import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';
import { buildApp } from '../api/app.ts';

/** Probabilistic matching end to end: collection API → identity.match job → review queue. */
describe.each(backends())('probabilistic matching and its review queue (%s PostgreSQL)', (backend) => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let key: string;
  let viewer: string;
  const auth = (token = t.ownerToken) => ({ authorization: `Bearer ${token}` });
  const api = (method: 'GET' | 'POST', url: string, token?: string) =>
    app.inject({ method, url: `/api/v1${url}`, headers: auth(token) });
  const get = async (url: string) => (await api('GET', url)).json();
  const lookup = async (identifier: string) =>
    (await get(`/profiles?identifier=${encodeURIComponent(identifier)}`)).data?.[0];
  const identify = async (anonymousId: string, traits: Record<string, unknown>, extra = {}) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: { 'x-write-key': key, 'content-type': 'application/json' },
      payload: JSON.stringify({ anonymousId, traits, messageId: `msg-${anonymousId}`, ...extra }),
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const runMatch = async () => {
    const res = await api('POST', '/identity/match');
    expect(res.statusCode, res.body).toBe(202);
    let job = res.json();
    for (let i = 0; i < 200 && (job.status === 'queued' || job.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = await get(`/jobs/${job.id}`);
    }
    expect(job.status, JSON.stringify(job)).toBe('done');
    return job.result;
  };
  const pending = async () => (await get('/identity/candidates')).data;
  const pairOf = (c: { profiles: { id: string }[] }) => c.profiles.map((p) => p.id).sort();

  beforeAll(async () => {
    t = await createTestPlatform({ backend });
    app = await buildApp(t.platform);
    await t.platform.jobs.start();
    key = (
      await app.inject({ method: 'POST', url: '/api/v1/sources', headers: auth(), payload: { name: 'site' } })
    ).json().writeKey;
    viewer = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: auth(),
        payload: { name: 'viewer', role: 'viewer' },
      })
    ).json().token;

    // One person twice: the same name (Cyrillic and Latin), city and birthday, an email typo.
    await identify('ivan-laptop', {
      name: 'Иван Петров',
      city: 'Москва',
      birthday: '1985-03-12',
      email: 'ivan.petrov@mail.ru',
    });
    await identify('ivan-phone', {
      first_name: 'Ivan',
      last_name: 'Petrov',
      city: 'Moscow',
      birthday: '12.03.1985',
      email: 'ivan.petorv@mail.ru',
    });
    // A namesake in another city, born on another day.
    await identify('ivan-kazan', {
      name: 'Иван Петров',
      city: 'Казань',
      birthday: '1990-07-01',
      email: 'petrov.i@yandex.ru',
    });
    // Just below the threshold (name + city + an email typo, no birthday): for review.
    await identify('anna-1', { name: 'Анна Смирнова', city: 'Казань', email: 'anna.smirnova@mail.ru' });
    await identify('anna-2', { name: 'Анна Смирнова', city: 'Казань', email: 'anna.smirnva@mail.ru' });
    await identify('oleg-1', { name: 'Олег Сидоров', city: 'Самара', email: 'oleg.sidorov@mail.ru' });
    await identify('oleg-2', { name: 'Олег Сидоров', city: 'Самара', email: 'oleg.sidorov7@mail.ru' });
    // Two registered users who look alike: two user_ids never merge.
    const twin = { name: 'Пётр Иванов', city: 'Омск', birthday: '1970-01-01' };
    await identify('twin-1', twin, { userId: 'u-twin-1' });
    await identify('twin-2', twin, { userId: 'u-twin-2' });
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('merges the same person, keeps the namesake apart and queues the near misses', async () => {
    const laptop = await lookup('anonymous_id:ivan-laptop');
    const phone = await lookup('anonymous_id:ivan-phone');
    expect(phone.id).not.toBe(laptop.id);

    const result = await runMatch();
    expect(result).toMatchObject({ merged: 1, pending: 2, threshold: 9, reviewFloor: 6, autoMerge: true });
    expect(result.conflicts).toBeGreaterThanOrEqual(1);

    const survivor = await lookup('anonymous_id:ivan-phone');
    expect(survivor.id).toBe(laptop.id);
    expect(survivor.identities.map((i: { value: string }) => i.value)).toEqual(
      expect.arrayContaining(['ivan.petrov@mail.ru', 'ivan.petorv@mail.ru', 'ivan-laptop', 'ivan-phone']),
    );
    expect((await get('/events?messageId=msg-ivan-phone')).data[0].profileId).toBe(laptop.id);
    const history = (await get(`/profiles/${laptop.id}/merges`)).data;
    expect(history).toMatchObject([
      { survivorId: laptop.id, mergedId: phone.id, reason: 'probabilistic', score: 14.5 },
    ]);
    expect(history[0].linkedBy).toEqual(
      expect.arrayContaining([
        { name: 'name', weight: 4, value: 'exact' },
        { name: 'birth_date', weight: 6, value: 'equal' },
        { name: 'email', weight: 3, value: 'one_edit' },
      ]),
    );
    const merged = (await get('/identity/candidates?status=merged')).data;
    expect(merged.map(pairOf)).toEqual([[laptop.id, phone.id].sort()]);

    expect((await lookup('anonymous_id:ivan-kazan')).id).not.toBe(laptop.id);
    expect((await lookup('user_id:u-twin-1')).id).not.toBe((await lookup('user_id:u-twin-2')).id);

    const queue = await pending();
    expect(queue).toHaveLength(2);
    for (const c of queue) {
      expect(c.score).toBe(8.5);
      expect(c.features.reduce((s: number, f: { weight: number }) => s + f.weight, 0)).toBe(8.5);
      expect(c.features).toContainEqual({ name: 'email', weight: 3, value: 'one_edit' });
      expect(c.profiles.map((p: { currentId: string }) => p.currentId)).toEqual(
        c.profiles.map((p: { id: string }) => p.id),
      );
      expect(c.profiles[0].traits.name).toBe(c.profiles[1].traits.name);
    }

    // Ingestion goes on with the merged graph.
    await identify('ivan-phone', { plan: 'gold' }, { messageId: 'msg-ivan-phone-2' });
    expect((await get(`/profiles/${laptop.id}`)).traits.plan).toBe('gold');
  });

  it('accepts a candidate (merging the pair) and rejects one for good', async () => {
    const anna = [(await lookup('anonymous_id:anna-1')).id, (await lookup('anonymous_id:anna-2')).id].sort();
    const oleg = [(await lookup('anonymous_id:oleg-1')).id, (await lookup('anonymous_id:oleg-2')).id].sort();
    const queue = await pending();
    const annaCandidate = queue.find((c: { profiles: { id: string }[] }) => pairOf(c).join() === anna.join());
    const olegCandidate = queue.find((c: { profiles: { id: string }[] }) => pairOf(c).join() === oleg.join());
    expect(annaCandidate).toBeDefined();
    expect(olegCandidate).toBeDefined();

    // A viewer reads the queue but may not decide.
    expect((await api('GET', '/identity/candidates', viewer)).statusCode).toBe(200);
    expect((await api('POST', `/identity/candidates/${annaCandidate.id}/accept`, viewer)).statusCode).toBe(
      403,
    );
    expect((await api('POST', '/identity/match', viewer)).statusCode).toBe(403);

    const accepted = await api('POST', `/identity/candidates/${annaCandidate.id}/accept`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted', score: 8.5 });
    expect((await lookup('anonymous_id:anna-2')).id).toBe((await lookup('anonymous_id:anna-1')).id);
    const history = (await get(`/profiles/${anna[0]}/merges`)).data;
    expect(history).toMatchObject([{ reason: 'candidate_accepted', score: 8.5 }]);
    expect((await api('POST', `/identity/candidates/${annaCandidate.id}/accept`)).statusCode).toBe(409);

    const rejected = await api('POST', `/identity/candidates/${olegCandidate.id}/reject`);
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json().status).toBe('rejected');
    expect((await api('POST', `/identity/candidates/${olegCandidate.id}/accept`)).statusCode).toBe(409);
    expect((await api('POST', '/identity/candidates/mc_nope/reject')).statusCode).toBe(404);

    // Run again: the rejected pair is neither proposed nor merged; nothing else is left.
    const again = await runMatch();
    expect(again).toMatchObject({ merged: 0, pending: 0, blocked: 1 });
    expect(await pending()).toEqual([]);
    expect((await lookup('anonymous_id:oleg-2')).id).not.toBe((await lookup('anonymous_id:oleg-1')).id);
    expect((await get('/identity/candidates?status=rejected')).data.map(pairOf)).toEqual([oleg]);
    expect((await get('/identity/candidates?status=accepted')).data.map(pairOf)).toEqual([anna]);

    // Even with a stricter threshold turned looser, a rejected pair stays apart.
    const loose = await app.inject({
      method: 'PUT',
      url: '/api/v1/identity/settings',
      headers: auth(),
      payload: { probabilistic: { enabled: true, threshold: 6 } },
    });
    expect(loose.statusCode, loose.body).toBe(200);
    expect(await runMatch()).toMatchObject({ merged: 0, blocked: 1 });
    expect((await lookup('anonymous_id:oleg-2')).id).not.toBe((await lookup('anonymous_id:oleg-1')).id);
  });

  it('an undone probabilistic merge is not made again', async () => {
    const laptop = await lookup('anonymous_id:ivan-laptop');
    const merges = (await get(`/profiles/${laptop.id}/merges`)).data;
    const merge = merges.find((m: { reason: string }) => m.reason === 'probabilistic');
    const undo = await api('POST', `/identity/merges/${merge.id}/undo`);
    expect(undo.statusCode, undo.body).toBe(200);
    const phone = await lookup('anonymous_id:ivan-phone');
    expect(phone.id).toBe(merge.mergedId);
    // The threshold is 6 now: the pair scores 14.5, yet stays apart.
    expect(await runMatch()).toMatchObject({ merged: 0, blocked: 2 });
    expect((await lookup('anonymous_id:ivan-phone')).id).toBe(phone.id);
    expect((await lookup('anonymous_id:ivan-laptop')).id).toBe(laptop.id);
  });

  it('pages the queue and validates the query', async () => {
    for (const [i, email] of ['maria.k@mail.ru', 'maria.k1@mail.ru', 'maria.k2@mail.ru'].entries()) {
      await identify(`maria-${i}`, { name: 'Мария Кузнецова', city: 'Тверь', email });
    }
    await app.inject({
      method: 'PUT',
      url: '/api/v1/identity/settings',
      headers: auth(),
      payload: { probabilistic: { enabled: false, threshold: 9 } },
    });
    const result = await runMatch();
    expect(result).toMatchObject({ autoMerge: false, merged: 0, pending: 3 });
    const first = await get('/identity/candidates?limit=2');
    expect(first.data).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await get(`/identity/candidates?limit=2&cursor=${first.nextCursor}`);
    expect(second.data).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const ids = [...first.data, ...second.data].map((c: { id: string }) => c.id);
    expect(new Set(ids).size).toBe(3);
    const bad = await api('GET', '/identity/candidates?status=maybe');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toMatch(/status/);
    expect((await api('GET', '/identity/candidates?cursor=xyz')).json().error.details[0].path).toBe(
      '/cursor',
    );
  });

  it('the daily schedule enqueues a run where matching is on and the last run is a day old', async () => {
    const { matching } = t.platform.identity;
    // The workspace ran within the day: not due.
    expect(await matching.tick()).toBe(0);
    // Due (interval 0), but matching is switched off (previous test).
    expect(await matching.tick(0)).toBe(0);
    const on = await app.inject({
      method: 'PUT',
      url: '/api/v1/identity/settings',
      headers: auth(),
      payload: { probabilistic: { enabled: true, threshold: 9 } },
    });
    expect(on.statusCode, on.body).toBe(200);
    expect(await matching.tick(0)).toBe(1);
  });
});
