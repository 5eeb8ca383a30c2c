import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';
import { buildApp } from '../api/app.ts';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, read loosely in assertions
type Json = Record<string, any>;

const ADMIN_EMAIL = 'owner@example.com';
const ADMIN_PASSWORD = 'Correct-Horse-Battery-9';

interface Entry {
  id: string;
  at: string;
  actor: { type: string; id: string | null; role: string | null; ip: string | null };
  action: string;
  target: { type: string | null; id: string | null };
  before: unknown;
  after: unknown;
  status: string;
  detail: Json | null;
}

describe('audit log', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let ownerTokenId: string;

  const call = (method: string, url: string, body?: unknown, token = t.ownerToken) =>
    app.inject({
      method: method as 'GET',
      url: url.startsWith('/graphql') || url.startsWith('/v1') ? url : `/api/v1${url}`,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  const ok = async <T = Json>(method: string, url: string, body?: unknown, token?: string) => {
    const res = await call(method, url, body, token);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return (res.body ? res.json() : null) as T;
  };
  const entries = async (query = '') =>
    (await ok<{ data: Entry[]; nextCursor: string | null }>('GET', `/audit${query}`)).data;

  beforeAll(async () => {
    t = await createTestPlatform({
      env: { DATAPULSE_ADMIN_EMAIL: ADMIN_EMAIL, DATAPULSE_ADMIN_PASSWORD: ADMIN_PASSWORD },
    });
    await t.platform.users.bootstrapOwner(t.config.bootstrap);
    app = await buildApp(t.platform);
    ownerTokenId = (await t.platform.tokens.authenticate(`Bearer ${t.ownerToken}`)).tokenId!;
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('records a change with the caller, IP, target and a redacted body', async () => {
    const created = await ok<{ id: string; token: string }>('POST', '/tokens', {
      name: 'ci',
      role: 'viewer',
    });
    const [e] = await entries(`?action=tokens.create`);
    expect(e).toMatchObject({
      action: 'tokens.create',
      actor: { type: 'token', id: ownerTokenId, role: 'owner', ip: '127.0.0.1' },
      target: { type: 'token', id: created.id },
      status: 'succeeded',
    });
    expect(e.detail?.body).toEqual({ name: 'ci', role: 'viewer' });
    expect(JSON.stringify(e)).not.toContain(created.token);
    expect((e.after as Record<string, unknown>).token).toBe('[redacted]');
  });

  it('records segment changes from REST and GraphQL; reads and previews are not changes', async () => {
    const seg = await ok<{ id: string }>('POST', '/segments', {
      name: 'Pros',
      rule: { trait: 'plan', op: 'eq', value: 'pro' },
    });
    await ok('PATCH', `/segments/${seg.id}`, { name: 'Pros 2' });
    await ok('GET', `/segments/${seg.id}`);
    await ok('POST', '/segments/preview', { rule: { trait: 'plan', op: 'eq', value: 'pro' } });
    const gql = await call('POST', '/graphql', {
      query: 'mutation ($id: ID!) { updateSegment(id: $id, input: { name: "Pros 3" }) { id name } }',
      variables: { id: seg.id },
    });
    expect(gql.statusCode).toBe(200);
    const log = await entries(`?targetId=${seg.id}`);
    expect(log.map((e) => e.action)).toEqual(['segments.update', 'segments.update', 'segments.create']);
    expect(log[0].detail?.via).toBe('graphql');
    expect(log[1].detail?.body).toEqual({ name: 'Pros 2' });
    expect((await entries('?action=segments.preview')).length).toBe(0);
    expect((await entries('?action=segments.*')).length).toBe(3);
  });

  it('keeps before and after of settings changes', async () => {
    const before = await ok<Record<string, unknown>>('GET', '/identity/settings');
    await ok('PUT', '/identity/settings', { ...before, defaultCountry: 'GB' });
    const [identity] = await entries('?action=identity.settings.update');
    expect((identity.before as Record<string, unknown>).defaultCountry).toBe(before.defaultCountry);
    expect((identity.after as Record<string, unknown>).defaultCountry).toBe('GB');
    await ok('PUT', '/settings/pii', { fields: ['passport'] });
    await ok('PUT', '/settings/pii', { fields: ['passport', 'inn'] });
    const [pii] = await entries('?action=settings.pii.update');
    expect(pii.before).toEqual(['passport']);
    expect(pii.after).toEqual(['passport', 'inn']);
  });

  it('records exports, full PII reads and erasure, but not masked reads', async () => {
    const source = await ok<{ writeKey: string }>('POST', '/sources', { name: 'web' });
    const sent = await app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { 'x-write-key': source.writeKey, 'content-type': 'application/json' },
      payload: JSON.stringify({
        batch: [{ type: 'identify', userId: 'u1', traits: { email: 'u1@mail.ru' } }],
      }),
    });
    expect(sent.statusCode).toBe(200);
    const [profile] = (await ok<{ data: { id: string }[] }>('GET', '/profiles?identifier=user_id:u1')).data;
    const viewer = (await ok<{ token: string }>('POST', '/tokens', { name: 'v', role: 'viewer' })).token;
    await ok('GET', `/profiles/${profile.id}`, undefined, viewer);
    await ok('GET', `/profiles/${profile.id}`);
    const reads = await entries(`?action=pii.read&targetId=${profile.id}`);
    // The owner's lookup and read (one entry when they fall in one flush window); the viewer's
    // masked read is not a PII read.
    expect(new Set(reads.map((e) => e.actor.role))).toEqual(new Set(['owner']));
    expect(reads.reduce((n, e) => n + ((e.detail as { count?: number } | null)?.count ?? 1), 0)).toBe(2);
    expect(reads[0].target.type).toBe('profile');

    expect((await call('GET', '/events/export?type=identify')).statusCode).toBe(200);
    const [exp] = await entries('?action=events.export');
    expect(exp.detail?.query).toEqual({ type: 'identify' });

    await ok('DELETE', `/profiles/${profile.id}`);
    const [erased] = await entries(`?action=profiles.erase`);
    expect(erased.target).toEqual({ type: 'profile', id: profile.id });
  });

  it('records sign-ins, failed ones too, never the password', async () => {
    const login = (password: string) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: ADMIN_EMAIL, password } });
    expect((await login('Wrong-password-123')).statusCode).toBe(401);
    expect((await login(ADMIN_PASSWORD)).statusCode).toBe(200);
    const log = await entries('?action=auth.login');
    expect(log.map((e) => e.status)).toEqual(['succeeded', 'failed']);
    expect(log[0].actor.type).toBe('user');
    expect(log[1].actor.id).toBe(ADMIN_EMAIL);
    expect(JSON.stringify(log)).not.toContain('Wrong-password-123');
    expect(JSON.stringify(log)).not.toContain(ADMIN_PASSWORD);
  });

  it('filters by actor, action and time, and pages by cursor', async () => {
    const all = await entries('?limit=1000');
    expect(all.length).toBeGreaterThan(5);
    const byActor = await entries(`?actor=${ownerTokenId}&limit=1000`);
    expect(byActor.every((e) => e.actor.id === ownerTokenId)).toBe(true);
    const future = await entries(`?from=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(future).toEqual([]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Entry[]; nextCursor: string | null } = await ok(
        'GET',
        `/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.data.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.length).toBeGreaterThanOrEqual(all.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect((await call('GET', '/audit?from=yesterday')).statusCode).toBe(400);
    expect((await call('GET', '/audit?cursor=nope')).statusCode).toBe(400);
  });

  it('answers only owner and admin', async () => {
    const analyst = (await ok<{ token: string }>('POST', '/tokens', { name: 'a', role: 'analyst' })).token;
    expect((await call('GET', '/audit', undefined, analyst)).statusCode).toBe(403);
  });
});

describe.each(backends())('audit log storage (%s PostgreSQL)', (backend) => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform({ backend });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is append-only in PostgreSQL: UPDATE, DELETE and TRUNCATE fail', async () => {
    t.platform.audit.record({
      workspaceId: 'w',
      actorType: 'system',
      actorId: null,
      action: 'x.y',
      status: 'succeeded',
    });
    await t.platform.audit.flush();
    const db = t.platform.stores.pg.db;
    // Drizzle wraps the database error; the trigger's message is its cause.
    const failure = (q: Promise<unknown>) =>
      q.then(
        () => 'succeeded',
        (err: Error) => String((err.cause as Error | undefined)?.message ?? err.message),
      );
    expect(await failure(db.execute(sql`UPDATE audit_log SET action = 'x'`))).toMatch(/append-only/);
    expect(await failure(db.execute(sql`DELETE FROM audit_log`))).toMatch(/append-only/);
    expect(await failure(db.execute(sql`TRUNCATE audit_log`))).toMatch(/append-only/);
    const rows = await db.execute(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'x'`);
    expect((rows as unknown as { rows: { n: number }[] }).rows[0].n).toBe(0);
  });

  it('coalesces service-level reads of one caller into one entry: a count, and the targets when several', async () => {
    const p = await t.platform.tokens.authenticate(`Bearer ${t.ownerToken}`);
    const read = (targetId: string) =>
      t.platform.audit.recordBy(p, {
        action: 'pii.read',
        targetType: 'profile',
        targetId,
        status: 'succeeded',
      });
    await t.platform.audit.flush();
    for (let i = 0; i < 3; i++) read('prf_1');
    await t.platform.audit.flush();
    read('prf_1');
    read('prf_2');
    read('prf_1');
    const page = await t.platform.audit.list(p, { action: 'pii.read' });
    expect(page.data.slice(0, 2).map((e) => [e.target.id, e.detail])).toEqual([
      [null, { count: 3, targets: ['prf_1', 'prf_2'] }],
      ['prf_1', { count: 3 }],
    ]);
    // Either kind of entry is found by its target.
    const of = async (id: string) =>
      (await t.platform.audit.list(p, { action: 'pii.read', targetId: id })).data;
    expect((await of('prf_1')).map((e) => e.target.id)).toEqual([null, 'prf_1']);
    expect((await of('prf_2')).map((e) => e.detail)).toEqual([{ count: 3, targets: ['prf_1', 'prf_2'] }]);
    expect(await of('prf_')).toEqual([]);
  });

  it('writes every one of many unmasked reads: entries of up to 1,000 targets, detailed ones apart', async () => {
    const p = await t.platform.tokens.authenticate(`Bearer ${t.ownerToken}`);
    const n = 1_234;
    for (let i = 0; i < n; i++)
      t.platform.audit.recordBy(p, {
        action: 'pii.read.bulk',
        targetType: 'profile',
        targetId: `prf_bulk_${i}`,
        status: 'succeeded',
        ...(i % 100 === 0 ? { detail: { i, note: "it's" }, httpStatus: 200 } : {}),
      });
    await t.platform.audit.flush();
    const rows = await t.platform.stores.pg.rows<{
      target_id: string | null;
      detail: Record<string, unknown>;
    }>(
      sql`select target_id, detail from audit_log where action = 'pii.read.bulk' and workspace_id = ${p.workspaceId} order by id`,
    );
    const listed = rows.flatMap((r) => (r.target_id ? [r.target_id] : (r.detail.targets as string[])));
    expect(new Set(listed).size).toBe(n);
    expect(listed).toHaveLength(n);
    const coalesced = rows.filter((r) => r.target_id === null).map((r) => r.detail.count);
    expect(coalesced).toEqual([1_000, 221]);
    expect(rows.filter((r) => r.detail?.note === "it's")).toHaveLength(13);
    for (const id of ['prf_bulk_100', 'prf_bulk_1233', 'prf_bulk_7']) {
      const page = await t.platform.audit.list(p, { action: 'pii.read.bulk', targetId: id });
      expect(page.data).toHaveLength(1);
    }
    const page = await t.platform.audit.list(p, { action: 'pii.read.bulk', targetId: 'prf_bulk_100' });
    expect(page.data[0]).toMatchObject({
      actor: { type: 'token', id: p.tokenId, role: 'owner' },
      target: { id: 'prf_bulk_100' },
      detail: { i: 100, note: "it's" },
      httpStatus: 200,
    });
  });

  it('writes buffered entries on close', async () => {
    const { audit } = t.platform;
    const p = await t.platform.tokens.authenticate(`Bearer ${t.ownerToken}`);
    for (let i = 0; i < 250; i++) {
      audit.record({
        workspaceId: p.workspaceId,
        actorType: 'system',
        actorId: null,
        action: 'test.close',
        status: 'succeeded',
      });
    }
    await audit.close();
    expect((await audit.list(p, { action: 'test.close', limit: 1000 })).data.length).toBe(250);
  });
});
