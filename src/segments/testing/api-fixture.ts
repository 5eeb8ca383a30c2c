/**
 * A whole platform with job workers running, an HTTP app, a source and helpers to send events
 * and call the segments API; shared by the segments API tests.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/helpers/platform.ts';
import { buildApp } from '../../api/app.ts';

export interface ApiFixture {
  t: TestPlatform;
  app: FastifyInstance;
  writeKey: string;
  sourceId: string;
  workspaceId: string;
  call(method: string, url: string, body?: unknown, token?: string): Promise<LightMyRequestResponse>;
  /** JSON of a 2xx answer (fails the test otherwise). */
  ok<T = Record<string, unknown>>(method: string, url: string, body?: unknown, token?: string): Promise<T>;
  /** Segment-style events through the collection API (`/v1/batch`). */
  send(batch: Record<string, unknown>[]): Promise<void>;
  /** Waits for a job to finish and returns it. */
  job(id: string): Promise<Record<string, unknown>>;
  /** Creates a dynamic segment and waits for its first computation. */
  segment(name: string, rule: unknown, extra?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Profile id of a user id (through the profile lookup). */
  profileOf(userId: string): Promise<string>;
  close(): Promise<void>;
}

export const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

export async function apiFixture(opts: { startJobs?: boolean } = {}): Promise<ApiFixture> {
  const t = await createTestPlatform();
  const app = await buildApp(t.platform);
  if (opts.startJobs !== false) await t.platform.jobs.start();
  const bearer = (token = t.ownerToken) => ({ authorization: `Bearer ${token}` });

  async function call(method: string, url: string, body?: unknown, token?: string) {
    return app.inject({
      method: method as 'GET',
      url: url.startsWith('/') && !url.startsWith('/api') && !url.startsWith('/v1') ? `/api/v1${url}` : url,
      headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  }
  async function ok<T>(method: string, url: string, body?: unknown, token?: string): Promise<T> {
    const res = await call(method, url, body, token);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return (res.body ? res.json() : null) as T;
  }
  const source = await ok<{ id: string; writeKey: string }>('POST', '/sources', { name: 'test' });
  const workspaceId = (await t.platform.tokens.authenticate(`Bearer ${t.ownerToken}`)).workspaceId;

  async function job(id: string) {
    for (let i = 0; i < 300; i++) {
      const j = await ok<Record<string, unknown>>('GET', `/jobs/${id}`);
      if (j.status === 'done' || j.status === 'failed') return j;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`job ${id} did not finish`);
  }

  return {
    t,
    app,
    writeKey: source.writeKey,
    sourceId: source.id,
    workspaceId,
    call,
    ok,
    async send(batch) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: { 'x-write-key': source.writeKey, 'content-type': 'application/json' },
        payload: JSON.stringify({ batch }),
      });
      expect(res.statusCode, res.body).toBe(200);
    },
    job,
    async segment(name, rule, extra = {}) {
      const seg = await ok<Record<string, unknown>>('POST', '/segments', { name, rule, ...extra });
      const done = await job((await ok<{ id: string }>('POST', `/segments/${seg.id}/recompute`)).id);
      expect(done.status, JSON.stringify(done)).toBe('done');
      return ok('GET', `/segments/${seg.id}`);
    },
    async profileOf(userId) {
      const r = await ok<{ data: { id: string }[] }>(
        'GET',
        `/profiles?identifier=${encodeURIComponent(`user_id:${userId}`)}`,
      );
      expect(r.data.length, `profile of ${userId}`).toBe(1);
      return r.data[0].id;
    },
    async close() {
      await app.close();
      await t.close();
    },
  };
}
