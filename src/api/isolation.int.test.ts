/**
 * Cross-workspace isolation, for EVERY route: each route of the built app with an id parameter
 * is called with workspace B's token on an object of workspace A, and must answer 404 — never
 * 200 or 403. A route added later without workspace scoping (or without an object made here)
 * fails this test.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';
import { buildApp } from './app.ts';

/** `METHOD /path/:param` of every route, read from fastify's route tree. */
function routesOf(app: FastifyInstance): { method: string; url: string }[] {
  const out: { method: string; url: string }[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (.*?)(?: \(([^)]*)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    stack.length = depth;
    stack.push(m[2]);
    const url = stack.join('');
    for (const method of (m[3] ?? '').split(', ').filter(Boolean)) out.push({ method, url });
  }
  return out;
}

const ADMIN_ENV = {
  DATAPULSE_ADMIN_EMAIL: 'owner@a.example',
  DATAPULSE_ADMIN_PASSWORD: 'Correct-Horse-Battery-9',
};

describe('cross-workspace isolation', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  /** Ids of workspace A's objects, by the path segment naming them before `:id`. */
  const ids: Record<string, string> = {};
  let tokenB: string;

  const call = (method: string, url: string, token: string, body?: unknown) =>
    app.inject({
      method: method as 'GET',
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  const ok = async <T = { id: string }>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await call(method, `/api/v1${url}`, t.ownerToken, body);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.json() as T;
  };

  beforeAll(async () => {
    t = await createTestPlatform({ env: ADMIN_ENV });
    await t.platform.users.bootstrapOwner(t.config.bootstrap);
    app = await buildApp(t.platform);
    const source = await ok<{ id: string; writeKey: string }>('POST', '/sources', { name: 'a' });
    ids.sources = source.id;
    const send = async (type: string, body: Record<string, unknown>) => {
      const res = await app.inject({
        method: 'POST',
        url: `/v1/${type}`,
        headers: { 'x-write-key': source.writeKey, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
      expect(res.statusCode, res.body).toBe(200);
    };
    await send('track', { anonymousId: 'dev-a', event: 'Viewed' });
    await send('identify', { anonymousId: 'dev-b', traits: { email: 'anna@example.ru' } });
    const lookup = async (identifier: string) =>
      (await ok<{ data: { id: string }[] }>('GET', `/profiles?identifier=${identifier}`)).data[0].id;
    const a = await lookup('anonymous_id:dev-a');
    const b = await lookup('anonymous_id:dev-b');
    await send('track', {
      anonymousId: 'dev-a',
      context: { traits: { email: 'anna@example.ru' } },
      event: 'Bought',
    });
    ids.profiles = a;
    ids.merges = (await ok<{ data: { id: string }[] }>('GET', `/profiles/${a}/merges`)).data[0].id;
    await send('identify', { userId: 'u-c', traits: { email: 'c@example.ru' } });
    const c = await lookup('user_id:u-c');
    // A review-queue pair, as the matching job would leave it.
    const { workspaceId } = await t.platform.tokens.authenticate(`Bearer ${t.ownerToken}`);
    const [lo, hi] = [b === a ? c : a, c].sort();
    ids.candidates = 'cand_isolation_a';
    await t.platform.stores.pg.db.execute(
      sql`insert into match_candidates (id, workspace_id, profile_a, profile_b, score, features, status, created_at)
          values (${ids.candidates}, ${workspaceId}, ${lo}, ${hi}, 0.9, '[]'::jsonb, 'pending', now())`,
    );
    const seg = await ok('POST', '/segments', { name: 'A', rule: { trait: 'plan', op: 'eq', value: 'x' } });
    ids.segments = seg.id;
    ids.jobs = (await ok('POST', `/segments/${seg.id}/recompute`)).id;
    ids.tokens = (await ok('POST', '/tokens', { name: 'a viewer', role: 'viewer' })).id;
    const range = { from: '2026-01-01', to: '2026-02-01' };
    ids.saved = (await ok('POST', '/reports/saved', { name: 'r', kind: 'overview', spec: range })).id;
    ids.dashboards = (await ok('POST', '/dashboards', { name: 'd', tiles: [] })).id;
    ids.users = (await ok<{ data: { id: string }[] }>('GET', '/users')).data[0].id;
    ids.invitations = (await ok('POST', '/users/invitations', { email: 'new@a.example', role: 'viewer' })).id;
    tokenB = (await ok<{ token: string }>('POST', '/workspaces', { name: 'B' })).token;
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  /** Bodies that pass validation, so the answer is about the object, not the input. */
  const BODIES: Record<string, unknown> = {
    'PATCH /api/v1/segments/:id': { name: 'x' },
    'POST /api/v1/segments/:id/copy': {},
    'POST /api/v1/segments/:id/snapshot': {},
    'PATCH /api/v1/reports/saved/:id': { name: 'x' },
    'POST /api/v1/reports/saved/:id/run': {},
    'PATCH /api/v1/dashboards/:id': { name: 'x' },
    'PATCH /api/v1/users/:id': { role: 'viewer' },
  };

  it('answers 404 to another workspace for every route with an id', async () => {
    const routes = routesOf(app).filter(
      (r) => r.url.startsWith('/api/v1/') && /\/:\w+/.test(r.url) && r.method !== 'HEAD',
    );
    expect(routes.length).toBeGreaterThan(20);
    const failures: string[] = [];
    let tested = 0;
    for (const r of routes) {
      const segment = /\/([\w-]+)\/:\w+/.exec(r.url)![1];
      const id = ids[segment];
      if (!id) {
        failures.push(
          `${r.method} ${r.url}: no "${segment}" object made in workspace A — add one to this test`,
        );
        continue;
      }
      const key = `${r.method} ${r.url}`;
      const url = r.url.replace(/:\w+/, id);
      const res =
        r.url.endsWith('/upload') && r.method === 'POST'
          ? await app.inject({
              method: 'POST',
              url: `${url}?format=csv`,
              headers: { authorization: `Bearer ${tokenB}`, 'content-type': 'text/csv' },
              payload: 'email\na@b.ru\n',
            })
          : await call(
              r.method,
              url,
              tokenB,
              BODIES[key] ?? (r.method === 'GET' || r.method === 'DELETE' ? undefined : {}),
            );
      if (res.statusCode !== 404) failures.push(`${key}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      // The id is right: workspace A's own token reads the object.
      if (r.method === 'GET') {
        const own = await call('GET', url, t.ownerToken);
        if (own.statusCode !== 200)
          failures.push(`${key} as workspace A: ${own.statusCode} ${own.body.slice(0, 200)}`);
      }
      tested++;
    }
    expect(failures).toEqual([]);
    expect(tested).toBe(routes.length);
    // Workspace A still has everything.
    expect((await call('GET', `/api/v1/segments/${ids.segments}`, t.ownerToken)).statusCode).toBe(200);
  });

  it("answers not_found over GraphQL for another workspace's objects", async () => {
    for (const [query, id] of [
      ['query ($id: ID!) { segment(id: $id) { id } }', ids.segments],
      ['query ($id: ID!) { profile(id: $id) }', ids.profiles],
      ['mutation ($id: ID!) { deleteSegment(id: $id) }', ids.segments],
      ['mutation ($id: ID!) { recomputeSegment(id: $id) { id } }', ids.segments],
    ] as const) {
      const res = await call('POST', '/graphql', tokenB, { query, variables: { id } });
      expect(res.statusCode, query).toBe(404);
      expect(res.json().errors[0].extensions.code).toBe('not_found');
    }
  });
});
