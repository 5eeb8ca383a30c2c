import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestPlatform, type TestPlatform, tempDataDir } from '../../test/helpers/platform.ts';
import { buildApp } from '../api/app.ts';
import { runCli } from '../bench/server-process.ts';
import { ConfigError } from '../config/index.ts';
import { consoleSessions } from './schema.ts';
import { SESSION_COOKIE } from './sessions.ts';
import { ADMIN_EMAIL, ADMIN_ENV, ADMIN_PASSWORD, signIn } from './testing/session-client.ts';

describe.each(backends())('console sign-in and sessions (%s PostgreSQL)', (backend) => {
  let t: TestPlatform;
  let app: FastifyInstance;
  const bearer = () => ({ authorization: `Bearer ${t.ownerToken}` });
  const login = (email: string, password: string) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

  beforeAll(async () => {
    // Behind a TLS-terminating proxy: X-Forwarded-Proto decides the Secure flag.
    t = await createTestPlatform({ backend, env: { ...ADMIN_ENV, DATAPULSE_TRUST_PROXY: 'true' } });
    expect(await t.platform.users.bootstrapOwner(t.config.bootstrap)).toEqual({ created: true });
    app = await buildApp(t.platform);
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('creates the first owner from the environment once', async () => {
    expect(await t.platform.users.bootstrapOwner(t.config.bootstrap)).toEqual({ created: false });
    const weak = { adminEmail: 'a@example.com', adminPassword: 'password' };
    await expect(t.platform.users.bootstrapOwner(weak)).rejects.toThrow(ConfigError);
    await expect(t.platform.users.bootstrapOwner(weak)).rejects.toThrow(
      /^DATAPULSE_ADMIN_PASSWORD: too weak/,
    );
    await expect(
      t.platform.users.bootstrapOwner({ adminEmail: 'a@example.com', adminPassword: null }),
    ).rejects.toThrow(/^DATAPULSE_ADMIN_PASSWORD: required/);
  });

  it('signs in with a case-insensitive e-mail and sets a safe session cookie', async () => {
    const res = await login('  owner@EXAMPLE.com ', ADMIN_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      user: { email: 'owner@example.com' },
      role: 'owner',
      workspaces: [{ id: body.workspace.id, role: 'owner' }],
    });
    expect(body.csrfToken).toMatch(/^[\w-]{40,}$/);
    const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', maxAge: 30 * 24 * 3600 });
    expect(cookie?.secure).toBeFalsy(); // plain http here; Secure when the request came over https
    expect(JSON.stringify(body)).not.toContain(cookie?.value);
    const https = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    });
    expect(https.cookies.find((c) => c.name === SESSION_COOKIE)?.secure).toBe(true);
  });

  it('answers a wrong password and an unknown e-mail alike', async () => {
    const wrong = await login(ADMIN_EMAIL, 'Wrong-pass-2026');
    const unknown = await login('nobody@example.com', 'Wrong-pass-2026');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    const missing = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'x' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0].path).toBe('/password');
  });

  it('locks an address after 5 failures in 15 minutes, known or not', async () => {
    const known = 'locked@example.com';
    await t.platform.users.bootstrapOwner({ adminEmail: null, adminPassword: null });
    for (const email of [known, 'ghost@example.com']) {
      for (let i = 0; i < 5; i++) expect((await login(email, `Wrong-pass-${i}xx`)).statusCode).toBe(401);
      const res = await login(email, 'Wrong-pass-xxxx');
      expect(res.statusCode).toBe(429);
      expect(res.json().error.code).toBe('locked');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(800);
    }
    // The owner's own address was not touched by the others' failures.
    expect((await login(ADMIN_EMAIL, ADMIN_PASSWORD)).statusCode).toBe(200);
  });

  it('needs the CSRF header for changes made with the cookie, not for reads or Bearer calls', async () => {
    const s = await signIn(app, ADMIN_EMAIL, ADMIN_PASSWORD);
    expect((await s.call('GET', '/api/v1/sources')).statusCode).toBe(200);
    const none = await s.call('POST', '/api/v1/sources', { name: 'Web' }, { csrf: null });
    expect(none.statusCode).toBe(403);
    expect(none.json().error.code).toBe('csrf_failed');
    const wrong = await s.call('POST', '/api/v1/sources', { name: 'Web' }, { csrf: `${s.csrf.slice(1)}x` });
    expect(wrong.json().error.code).toBe('csrf_failed');
    expect((await s.call('POST', '/api/v1/sources', { name: 'Web' })).statusCode).toBe(201);
    // GraphQL mutations too.
    const mutation = { query: 'mutation { deleteSegment(id: "seg_x") }' };
    const gqlNoCsrf = await s.call('POST', '/graphql', mutation, { csrf: null });
    expect(gqlNoCsrf.statusCode).toBe(403);
    expect(gqlNoCsrf.json().errors[0].extensions.code).toBe('csrf_failed');
    const gql = await s.call('POST', '/graphql', { query: '{ segments { data { id } } }' });
    expect(gql.statusCode).toBe(200);
    // Bearer calls: as before, no CSRF; a Bearer header wins over a cookie.
    const viaToken = await app.inject({
      method: 'POST',
      url: '/api/v1/sources',
      headers: { ...bearer(), cookie: `${SESSION_COOKIE}=${s.cookie}` },
      payload: { name: 'App' },
    });
    expect(viaToken.statusCode).toBe(201);
    const me = await app.inject({ url: '/api/v1/auth/me', headers: bearer() });
    expect(me.statusCode).toBe(401);
  });

  it('reports the session with /auth/me and ends it on logout', async () => {
    const s = await signIn(app, ADMIN_EMAIL, ADMIN_PASSWORD);
    const me = await s.call('GET', '/api/v1/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      role: 'owner',
      csrfToken: s.csrf,
      user: { email: 'owner@example.com' },
    });
    const out = await s.call('POST', '/api/v1/auth/logout');
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === SESSION_COOKIE)?.value).toBe('');
    expect((await s.call('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await s.call('GET', '/api/v1/sources')).statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/api/v1/sources', headers: { cookie: `${SESSION_COOKIE}=nope` } }))
        .statusCode,
    ).toBe(401);
  });

  it('signs out everywhere', async () => {
    const a = await signIn(app, ADMIN_EMAIL, ADMIN_PASSWORD);
    const b = await signIn(app, ADMIN_EMAIL, ADMIN_PASSWORD);
    expect((await b.call('GET', '/api/v1/sources')).statusCode).toBe(200); // cached now
    expect((await a.call('POST', '/api/v1/auth/logout-all', undefined, { csrf: null })).statusCode).toBe(403);
    expect((await a.call('POST', '/api/v1/auth/logout-all')).statusCode).toBe(204);
    expect((await a.call('GET', '/api/v1/sources')).statusCode).toBe(401);
    expect((await b.call('GET', '/api/v1/sources')).statusCode).toBe(401);
    // API tokens are not sessions: untouched.
    expect((await app.inject({ url: '/api/v1/sources', headers: bearer() })).statusCode).toBe(200);
  });

  it('ends a session idle for 12 hours or older than 30 days', async () => {
    const db = t.platform.stores.pg.db;
    for (const column of ['lastSeenAt', 'expiresAt'] as const) {
      const s = await signIn(app, ADMIN_EMAIL, ADMIN_PASSWORD);
      const past = new Date(Date.now() - (column === 'lastSeenAt' ? 12 * 3600_000 + 1000 : 1000));
      await db
        .update(consoleSessions)
        .set({ [column]: past })
        .where(eq(consoleSessions.userId, s.body.user.id));
      const res = await s.call('GET', '/api/v1/auth/me');
      expect(res.statusCode).toBe(401);
      expect(res.json().error.message).toMatch(/expired/);
    }
  });
});

describe('first owner from the environment at start-up', () => {
  it('refuses a weak DATAPULSE_ADMIN_PASSWORD with one line and exit code 2', async () => {
    const data = tempDataDir();
    try {
      const { code, output } = await runCli(['start'], {
        DATAPULSE_DATA_DIR: data.dir,
        PORT: '0',
        LOG_LEVEL: 'silent',
        DATAPULSE_LOG_PRETTY: 'false',
        DATAPULSE_ADMIN_EMAIL: 'admin@example.com',
        DATAPULSE_ADMIN_PASSWORD: 'short',
      });
      expect(code).toBe(2);
      expect(output.trim().split('\n').pop()).toMatch(
        /^datapulse: DATAPULSE_ADMIN_PASSWORD: too weak: must be at least 10 characters$/,
      );
    } finally {
      data.remove();
    }
  }, 60_000);
});
