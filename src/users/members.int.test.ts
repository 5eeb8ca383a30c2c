import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';
import { buildApp } from '../api/app.ts';
import {
  ADMIN_EMAIL,
  ADMIN_ENV,
  ADMIN_PASSWORD,
  type SessionClient,
  signIn,
} from './testing/session-client.ts';

describe.each(backends())('workspace members and invitations (%s PostgreSQL)', (backend) => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let owner: SessionClient;
  const accept = (payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/accept-invitation', payload });

  /** Invites `email` with `role` as `by`, accepts as a new account, signs them in. */
  async function join(by: SessionClient, email: string, role: string, password = 'Member-pass-2026') {
    const inv = await by.call('POST', '/api/v1/users/invitations', { email, role });
    expect(inv.statusCode).toBe(201);
    const res = await accept({ token: inv.json().token, name: email.split('@')[0], password });
    expect(res.statusCode).toBe(201);
    return signIn(app, email, password);
  }

  beforeAll(async () => {
    t = await createTestPlatform({ backend, env: ADMIN_ENV });
    await t.platform.users.bootstrapOwner(t.config.bootstrap);
    app = await buildApp(t.platform);
    owner = await signIn(app, ADMIN_EMAIL, ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('invites with a one-time link; the invitee sets a password and signs in with the role', async () => {
    const inv = await owner.call('POST', '/api/v1/users/invitations', {
      email: 'Ana@Example.com',
      role: 'analyst',
    });
    expect(inv.statusCode).toBe(201);
    const body = inv.json();
    expect(body).toMatchObject({ email: 'ana@example.com', role: 'analyst' });
    expect(body.path).toBe(`/accept-invitation?token=${encodeURIComponent(body.token)}`);
    const pending = (await owner.call('GET', '/api/v1/users/invitations')).json().data;
    expect(pending).toEqual([expect.objectContaining({ id: body.id, email: 'ana@example.com' })]);
    expect(JSON.stringify(pending)).not.toContain(body.token);

    const weak = await accept({ token: body.token, name: 'Ana', password: 'anaana' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.details[0].path).toBe('/password');
    const bad = await accept({ token: 'inv_nope', name: 'Ana', password: 'Analyst-pass-2026' });
    expect(bad.json().error.details[0].path).toBe('/token');
    const ok = await accept({ token: body.token, name: 'Ana', password: 'Analyst-pass-2026' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ email: 'ana@example.com', role: 'analyst' });
    expect((await accept({ token: body.token, name: 'Ana', password: 'Analyst-pass-2026' })).statusCode).toBe(
      400,
    );
    expect((await owner.call('GET', '/api/v1/users/invitations')).json().data).toEqual([]);

    const ana = await signIn(app, 'ana@example.com', 'Analyst-pass-2026');
    expect(ana.body.role).toBe('analyst');
    const members = (await owner.call('GET', '/api/v1/users')).json().data;
    expect(members.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      ['ana@example.com', 'analyst'],
      ['owner@example.com', 'owner'],
    ]);
    // An analyst manages nobody.
    expect((await ana.call('GET', '/api/v1/users')).statusCode).toBe(403);
    expect(
      (await ana.call('POST', '/api/v1/users/invitations', { email: 'x@example.com', role: 'viewer' }))
        .statusCode,
    ).toBe(403);
    // A member cannot be invited twice; a bad role names the field.
    expect(
      (await owner.call('POST', '/api/v1/users/invitations', { email: 'ana@example.com', role: 'viewer' }))
        .statusCode,
    ).toBe(409);
    const badRole = await owner.call('POST', '/api/v1/users/invitations', {
      email: 'y@example.com',
      role: 'god',
    });
    expect(badRole.json().error.details[0].path).toBe('/role');
  });

  it('withdraws an invitation', async () => {
    const inv = (
      await owner.call('POST', '/api/v1/users/invitations', { email: 'w@example.com', role: 'viewer' })
    ).json();
    expect((await owner.call('DELETE', `/api/v1/users/invitations/${inv.id}`)).statusCode).toBe(204);
    const res = await accept({ token: inv.token, name: 'W', password: 'Viewer-pass-2026' });
    expect(res.json().error.details[0].path).toBe('/token');
  });

  it('changes roles: admins cannot grant or take the owner role; the last owner stays', async () => {
    const adm = await join(owner, 'adm@example.com', 'admin');
    const mark = await join(adm, 'mark@example.com', 'marketer');
    expect(mark.body.role).toBe('marketer');
    const ownerId = owner.body.user.id;
    const markId = mark.body.user.id;

    const grant = await adm.call('PATCH', `/api/v1/users/${markId}`, { role: 'owner' });
    expect(grant.statusCode).toBe(400);
    expect(grant.json().error.details[0].path).toBe('/role');
    expect(
      (await adm.call('PATCH', `/api/v1/users/${ownerId}`, { role: 'viewer' })).json().error.details[0].path,
    ).toBe('/role');
    expect(
      (await adm.call('POST', '/api/v1/users/invitations', { email: 'o@example.com', role: 'owner' })).json()
        .error.details[0].path,
    ).toBe('/role');
    expect((await adm.call('DELETE', `/api/v1/users/${ownerId}`)).statusCode).toBe(400);

    const last = await owner.call('PATCH', `/api/v1/users/${ownerId}`, { role: 'admin' });
    expect(last.statusCode).toBe(400);
    expect(last.json().error).toMatchObject({ code: 'validation_failed', details: [{ path: '/role' }] });
    const lastRemove = await owner.call('DELETE', `/api/v1/users/${ownerId}`);
    expect(lastRemove.json().error.details[0].path).toBe('/id');

    // A role change applies to the member's live session at once.
    const up = await adm.call('PATCH', `/api/v1/users/${markId}`, { role: 'viewer' });
    expect(up.json()).toMatchObject({ id: markId, role: 'viewer' });
    expect((await mark.call('GET', '/api/v1/auth/me')).json().role).toBe('viewer');
    expect((await mark.call('POST', '/api/v1/sources', { name: 'x' })).statusCode).toBe(403);

    // With a second owner, the first may step down.
    expect(
      (await owner.call('PATCH', `/api/v1/users/${adm.body.user.id}`, { role: 'owner' })).statusCode,
    ).toBe(200);
    expect((await owner.call('PATCH', `/api/v1/users/${ownerId}`, { role: 'admin' })).statusCode).toBe(200);
    expect((await adm.call('PATCH', `/api/v1/users/${ownerId}`, { role: 'owner' })).statusCode).toBe(200);

    // Removal ends the member's session in the workspace; an unknown id is 404.
    expect((await adm.call('DELETE', `/api/v1/users/${markId}`)).statusCode).toBe(204);
    expect((await mark.call('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await adm.call('DELETE', `/api/v1/users/${markId}`)).statusCode).toBe(404);
    expect((await adm.call('PATCH', '/api/v1/users/usr_nope', { role: 'viewer' })).statusCode).toBe(404);
  });

  it('switches between workspaces the user belongs to, with the role held in each', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/workspaces',
      headers: { authorization: `Bearer ${t.ownerToken}` },
      payload: { name: 'Second' },
    });
    const ws2 = created.json();
    // Invited with an API token; the existing account confirms with its own password.
    const inv = await app.inject({
      method: 'POST',
      url: '/api/v1/users/invitations',
      headers: { authorization: `Bearer ${ws2.token}` },
      payload: { email: 'ana@example.com', role: 'viewer' },
    });
    const token = inv.json().token;
    expect((await accept({ token, password: 'Wrong-pass-2026' })).json().error.details[0].path).toBe(
      '/password',
    );
    expect((await accept({ token, password: 'Analyst-pass-2026' })).statusCode).toBe(201);

    const ana = await signIn(app, 'ana@example.com', 'Analyst-pass-2026');
    expect(ana.body.workspaces.map((w: { role: string }) => w.role).sort()).toEqual(['analyst', 'viewer']);
    const sw = await ana.call('POST', '/api/v1/auth/switch', { workspaceId: ws2.id });
    expect(sw.json()).toMatchObject({ workspace: { id: ws2.id, name: 'Second' }, role: 'viewer' });
    expect((await ana.call('GET', '/api/v1/auth/me')).json().workspace.id).toBe(ws2.id);
    expect((await ana.call('GET', '/api/v1/sources')).json().data).toEqual([]);
    const other = await owner.call('POST', '/api/v1/auth/switch', { workspaceId: ws2.id });
    expect(other.statusCode).toBe(404);
    // Signing in straight into a workspace.
    const direct = await signIn(app, 'ana@example.com', 'Analyst-pass-2026', ws2.id);
    expect(direct.body.role).toBe('viewer');
  });

  it('changes the password and ends the other sessions', async () => {
    const email = 'pat@example.com';
    const a = await join(owner, email, 'viewer', 'First-pass-2026');
    const b = await signIn(app, email, 'First-pass-2026');
    const wrong = await a.call('POST', '/api/v1/auth/password', {
      currentPassword: 'nope-nope-nope',
      newPassword: 'Second-pass-2026',
    });
    expect(wrong.json().error.details[0].path).toBe('/currentPassword');
    const weak = await a.call('POST', '/api/v1/auth/password', {
      currentPassword: 'First-pass-2026',
      newPassword: 'short',
    });
    expect(weak.json().error.details[0].path).toBe('/newPassword');
    const ok = await a.call('POST', '/api/v1/auth/password', {
      currentPassword: 'First-pass-2026',
      newPassword: 'Second-pass-2026',
    });
    expect(ok.statusCode).toBe(204);
    expect((await a.call('GET', '/api/v1/auth/me')).statusCode).toBe(200);
    expect((await b.call('GET', '/api/v1/auth/me')).statusCode).toBe(401);
    await expect(signIn(app, email, 'First-pass-2026')).rejects.toThrow(/401/);
    await signIn(app, email, 'Second-pass-2026');
  });
});
