import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
// The `hide` schema option comes from the OpenAPI plugin's types.
import type {} from '@fastify/swagger';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform/index.ts';

/**
 * Where `npm run build:web` writes the console (src/web/dist). `DATAPULSE_CONSOLE_DIR` points
 * elsewhere — for developers building several consoles side by side.
 */
export const CONSOLE_DIST =
  process.env.DATAPULSE_CONSOLE_DIR || fileURLToPath(new URL('../../web/dist/', import.meta.url));

/**
 * The console page may only talk to this server. Mantine sets inline styles, hence
 * 'unsafe-inline' for styles only; scripts come from files.
 */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>DataPulse: console not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}
code{background:#f1f3f5;padding:.1rem .3rem;border-radius:3px}</style></head>
<body><h1>DataPulse is running, but the console is not built</h1>
<p>The APIs work: <a href="/docs">API reference</a>, <a href="/health">/health</a>.
To get the web console, build it and restart the server:</p>
<pre><code>npm run build:web
npm start</code></pre>
<p><code>npm install</code> builds it too. See <code>docs/console.md</code>.</p>
<hr><p lang="ru">Консоль не собрана. Выполните <code>npm run build:web</code> и перезапустите сервер.</p>
</body></html>
`;

/**
 * A browser navigating to a console page: a GET that accepts HTML, outside the APIs, without a
 * file extension. Anything else unknown keeps the APIs' JSON 404.
 */
export function isConsolePage(req: FastifyRequest): boolean {
  const path = req.url.split('?')[0];
  if (path.startsWith('/api/') || path === '/api') return false;
  if (/\.[A-Za-z0-9]+$/.test(path)) return false;
  return (req.headers.accept ?? '').includes('text/html');
}

/**
 * The web console at `/`: hashed assets from src/web/dist (cached for a year), and its page for
 * every console path (client-side routes such as /profiles/p_1). When the console was never built,
 * the page says how to build it instead of being blank.
 */
export function consoleRoutes(platform: Platform, dist = CONSOLE_DIST): FastifyPluginAsyncTypebox {
  return async (app) => {
    const indexFile = join(dist, 'index.html');
    const built = existsSync(indexFile);
    if (!built) platform.log.warn({ dist }, 'console not built: run npm run build:web');
    const page = built ? readFileSync(indexFile, 'utf8') : NOT_BUILT_PAGE;
    const status = built ? 200 : 503;

    if (built) {
      const assets = join(dist, 'assets');
      await app.register(fastifyStatic, {
        root: dist,
        prefix: '/',
        wildcard: false,
        index: false,
        decorateReply: false,
        cacheControl: false,
        globIgnore: ['**/index.html'],
        setHeaders: (res, path) => {
          res.setHeader(
            'cache-control',
            path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
          );
          res.setHeader('x-content-type-options', 'nosniff');
        },
      });
    }

    // `/` always gets the page (a plain `curl /` too); other paths only when a browser asks.
    const sendPage = (req: FastifyRequest, reply: FastifyReply) =>
      req.url === '/' || isConsolePage(req)
        ? reply.status(status).headers(PAGE_HEADERS).send(page)
        : reply.callNotFound();
    app.get('/', { schema: { hide: true } }, sendPage);
    app.get('/*', { schema: { hide: true } }, sendPage);
  };
}
