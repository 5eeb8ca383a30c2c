import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';
import { buildApp } from './app.ts';

describe.each(backends())('REST foundation (%s PostgreSQL)', (backend) => {
  let t: TestPlatform;
  let app: FastifyInstance;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestPlatform({ backend });
    app = await buildApp(t.platform);
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('answers /health and serves the OpenAPI document and docs UI', async () => {
    expect((await app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    const doc = (await app.inject({ url: '/api/v1/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/sources', '/api/v1/tokens', '/api/v1/jobs/{id}']),
    );
    expect((await app.inject({ url: '/docs/' })).statusCode).toBe(200);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await app.inject({ url: '/api/v1/nope', headers: auth(t.ownerToken) });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });

  it('requires a valid bearer token', async () => {
    expect((await app.inject({ url: '/api/v1/sources' })).statusCode).toBe(401);
    const bad = await app.inject({ url: '/api/v1/sources', headers: auth('dp_nope') });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  it('creates, lists and deletes sources; a deleted write key stops resolving at once', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: auth(t.ownerToken),
      payload: { name: 'Web' },
    });
    expect(created.statusCode).toBe(201);
    const src = created.json();
    expect(src.writeKey).toMatch(/^c[0-9a-z]{24}$/);
    expect(await t.platform.workspaces.resolveWriteKey(src.writeKey)).toMatchObject({ sourceId: src.id });

    const list = (await app.inject({ url: '/api/v1/sources?limit=1', headers: auth(t.ownerToken) })).json();
    expect(list.data).toHaveLength(1);

    const del = await app.inject({
      method: 'DELETE',
      url: `/api/v1/sources/${src.id}`,
      headers: auth(t.ownerToken),
    });
    expect(del.statusCode).toBe(204);
    expect(await t.platform.workspaces.resolveWriteKey(src.writeKey)).toBeNull();
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/sources/${src.id}`, headers: auth(t.ownerToken) }))
        .statusCode,
    ).toBe(404);
  });

  it('validates bodies with the contract error shape naming the field', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: auth(t.ownerToken),
      payload: { name: '', extra: 1 },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['/name', '/extra']),
    );
    const notJson = await app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { ...auth(t.ownerToken), 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.body).not.toMatch(/at .*\.ts/);
  });

  it('pages with limit and cursor', async () => {
    for (const name of ['a', 'b', 'c']) {
      await app.inject({
        method: 'POST',
        url: '/api/v1/sources',
        headers: auth(t.ownerToken),
        payload: { name },
      });
    }
    const first = (await app.inject({ url: '/api/v1/sources?limit=2', headers: auth(t.ownerToken) })).json();
    expect(first.data).toHaveLength(2);
    expect(first.nextCursor).toBeTruthy();
    const second = (
      await app.inject({
        url: `/api/v1/sources?limit=2&cursor=${first.nextCursor}`,
        headers: auth(t.ownerToken),
      })
    ).json();
    expect(second.data.length).toBeGreaterThanOrEqual(1);
    expect(second.data[0].id > first.data[1].id).toBe(true);
    const badCursor = await app.inject({ url: '/api/v1/sources?cursor=zzz', headers: auth(t.ownerToken) });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().error.details[0].path).toBe('/cursor');
  });

  it('enforces roles: only owner/admin manage sources and tokens; revoked tokens answer 401', async () => {
    const mk = async (role: string) =>
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/tokens',
          headers: auth(t.ownerToken),
          payload: { name: role, role },
        })
      ).json();
    const viewer = await mk('viewer');
    const admin = await mk('admin');
    expect(viewer.token).toMatch(/^dp_/);
    expect((await app.inject({ url: '/api/v1/sources', headers: auth(viewer.token) })).statusCode).toBe(200);
    const denied = await app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: auth(viewer.token),
      payload: { name: 'x' },
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('forbidden');
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/sources',
          headers: auth(admin.token),
          payload: { name: 'x' },
        })
      ).statusCode,
    ).toBe(201);
    // An admin cannot mint an owner token.
    const escalate = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: auth(admin.token),
      payload: { name: 'o', role: 'owner' },
    });
    expect(escalate.statusCode).toBe(400);

    const tokens = (await app.inject({ url: '/api/v1/tokens', headers: auth(t.ownerToken) })).json();
    expect(JSON.stringify(tokens)).not.toContain(viewer.token);
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: `/api/v1/tokens/${viewer.id}`,
          headers: auth(t.ownerToken),
        })
      ).statusCode,
    ).toBe(204);
    expect((await app.inject({ url: '/api/v1/sources', headers: auth(viewer.token) })).statusCode).toBe(401);
  });

  it('creates workspaces (instance owner only) and keeps them apart', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/workspaces',
      headers: auth(t.ownerToken),
      payload: { name: 'Shop 2' },
    });
    expect(res.statusCode).toBe(201);
    const ws2 = res.json();
    expect(ws2.token).toMatch(/^dp_/);
    // The new workspace's owner is not the instance owner.
    const nested = await app.inject({
      method: 'POST',
      url: '/api/v1/workspaces',
      headers: auth(ws2.token),
      payload: { name: 'x' },
    });
    expect(nested.statusCode).toBe(403);
    expect(
      (await app.inject({ url: '/api/v1/workspaces', headers: auth(ws2.token) })).json().data,
    ).toHaveLength(1);
    expect(
      (await app.inject({ url: '/api/v1/workspaces', headers: auth(t.ownerToken) })).json().data.length,
    ).toBeGreaterThanOrEqual(2);

    // Another workspace's source is a 404, never visible.
    const mine = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/sources',
        headers: auth(t.ownerToken),
        payload: { name: 'mine' },
      })
    ).json();
    expect(
      (await app.inject({ url: `/api/v1/sources/${mine.id}`, headers: auth(ws2.token) })).statusCode,
    ).toBe(404);
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/sources/${mine.id}`, headers: auth(ws2.token) }))
        .statusCode,
    ).toBe(404);
    const theirs = (await app.inject({ url: '/api/v1/sources', headers: auth(ws2.token) })).json();
    expect(theirs.data).toHaveLength(0);
  });

  it('reports job status per the contract', async () => {
    t.platform.jobs.register('test.count', async (ctx) => {
      for (let i = 1; i <= 4; i++) ctx.progress(i, 4);
      return { counted: 4 };
    });
    await t.platform.jobs.start();
    const ws = (
      await t.platform.workspaces.listWorkspaces({
        workspaceId: '',
        role: 'owner',
        tokenId: null,
        instanceOwner: true,
      })
    ).data[0];
    const job = await t.platform.jobs.enqueue(ws.id, 'test.count', {});
    let view = (await app.inject({ url: `/api/v1/jobs/${job.id}`, headers: auth(t.ownerToken) })).json();
    for (let i = 0; i < 50 && view.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      view = (await app.inject({ url: `/api/v1/jobs/${job.id}`, headers: auth(t.ownerToken) })).json();
    }
    expect(view).toMatchObject({
      id: job.id,
      kind: 'test.count',
      status: 'done',
      progress: 1,
      processed: 4,
      total: 4,
      result: { counted: 4 },
    });
    expect((await app.inject({ url: '/api/v1/jobs/job_nope', headers: auth(t.ownerToken) })).statusCode).toBe(
      404,
    );
  });
});
