import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../platform/index.ts';
import { consoleRoutes } from './console.ts';

const platform = { log: pino({ level: 'silent' }) } as unknown as Platform;
const HTML = { accept: 'text/html,application/xhtml+xml' };

async function appWith(dist: string): Promise<FastifyInstance> {
  const app = Fastify();
  app.setNotFoundHandler((_req, reply) =>
    reply.status(404).send({ error: { code: 'not_found', message: 'No route' } }),
  );
  app.get('/api/v1/sources', async () => ({ data: [] }));
  app.get('/v1/projects/:key/settings', async () => ({ integrations: {} }));
  await app.register(consoleRoutes(platform, dist));
  return app;
}

describe('console routes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'datapulse-console-'));
  const dist = join(dir, 'dist');
  let app: FastifyInstance;
  let bare: FastifyInstance;

  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dist, 'favicon.svg'), '<svg/>');
    app = await appWith(dist);
    bare = await appWith(join(dir, 'missing'));
  });
  afterAll(async () => {
    await app.close();
    await bare.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page at / and at every console path, never cached', async () => {
    for (const url of ['/', '/profiles/prf_1', '/settings/tokens?x=1']) {
      const res = await app.inject({ url, headers: HTML });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<div id="root">');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    }
    expect((await app.inject({ url: '/' })).statusCode).toBe(200);
  });

  it('serves hashed assets for a year and other files for an hour', async () => {
    const js = await app.inject({ url: '/assets/index-abc123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.body).toBe('console.log(1)');
    expect(js.headers['cache-control']).toContain('immutable');
    const icon = await app.inject({ url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('leaves the APIs alone: their routes answer, unknown API paths and files stay JSON 404s', async () => {
    expect((await app.inject({ url: '/api/v1/sources', headers: HTML })).json()).toEqual({ data: [] });
    expect((await app.inject({ url: '/v1/projects/k/settings' })).json()).toEqual({ integrations: {} });
    for (const [url, headers] of [
      ['/api/v1/nope', HTML],
      ['/api', HTML],
      ['/assets/missing.js', HTML],
      ['/profiles/prf_1', { accept: 'application/json' }],
    ] as const) {
      const res = await app.inject({ url, headers });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
  });

  it('answers / with how to build the console when it was never built', async () => {
    const res = await bare.inject({ url: '/', headers: HTML });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('npm run build:web');
    expect((await bare.inject({ url: '/profiles', headers: HTML })).body).toContain('npm run build:web');
    expect((await bare.inject({ url: '/api/v1/nope', headers: HTML })).statusCode).toBe(404);
  });
});
