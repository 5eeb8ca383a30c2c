import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UnauthorizedError, ValidationError } from '../../core/errors.ts';
import {
  acceptedResponse,
  corsHeaders,
  decodeBody,
  extractWriteKey,
  jitsuResponse,
  type ParseContext,
  type ParseResult,
  parseCollect,
  parseJitsuEvent,
  parsePostHogCapture,
  parseSegmentBatch,
  parseSegmentSingle,
  posthogDecideResponse,
  posthogFlagsResponse,
  rudderSourceConfigResponse,
  segmentSettingsResponse,
} from '../../core/tracking/index.ts';
import { rateLimiter } from '../../ingest/rate-limit.ts';
import type { Platform } from '../../platform/index.ts';

type Parser = (body: unknown, ctx: ParseContext, req: FastifyRequest) => ParseResult;
type Respond = (result: ParseResult) => unknown;

/**
 * The collection API of specs/tracking-api.md: Segment, RudderStack, PostHog, Jitsu and the seed
 * 004 tracker, authenticated by write keys. Bodies are read raw whatever the Content-Type, then
 * decoded (gzip with or without the header) and parsed by the dialect's parser in core.
 */
export function collectRoutes(platform: Platform): FastifyPluginAsyncTypebox {
  const { config, workspaces, ingest } = platform;
  const maxBodyBytes = config.http.bodyLimitBytes;
  const limiter = rateLimiter(config.ingest.rateLimitPerKey);
  const hidden = { schema: { hide: true } };

  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (_req, body, done) =>
      done(null, body),
    );
    app.addHook('onSend', async (req, reply) => {
      reply.headers(corsHeaders(req.headers.origin));
    });
    app.options('/*', hidden, async (req, reply) =>
      reply
        .headers(
          corsHeaders(
            req.headers.origin,
            req.headers['access-control-request-headers'] as string | undefined,
          ),
        )
        .status(204)
        .send(),
    );

    async function source(req: FastifyRequest, body: unknown) {
      const writeKey = extractWriteKey({
        headers: req.headers,
        query: req.query as Record<string, unknown>,
        body,
      });
      if (!writeKey)
        throw new UnauthorizedError(
          'Missing write key (HTTP Basic auth, X-Write-Key, ?writeKey= or body writeKey)',
        );
      const src = await workspaces.resolveWriteKey(writeKey);
      if (!src) throw new UnauthorizedError('Unknown or revoked write key');
      limiter.check(writeKey);
      return src;
    }

    /** A route that carries one message answers 400 when that message is rejected. */
    const single =
      (parse: Parser): Parser =>
      (body, ctx, req) => {
        const result = parse(body, ctx, req);
        const [r] = result.rejected;
        const isBatch = Array.isArray(body) || (typeof body === 'object' && body !== null && 'batch' in body);
        if (!isBatch && result.events.length === 0 && r) {
          const at = r.reason.indexOf(': ');
          throw new ValidationError(r.reason, [
            { path: at > 0 ? r.reason.slice(0, at) : '/', message: r.reason.slice(at + 2) },
          ]);
        }
        return result;
      };

    async function collect(
      req: FastifyRequest,
      reply: FastifyReply,
      parse: Parser,
      respond: Respond = acceptedResponse,
    ) {
      const receivedAt = new Date();
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const body = decodeBody(raw, req.headers, { maxBodyBytes });
      const src = await source(req, body);
      const result = parse(
        body,
        { receivedAt, ip: req.ip, headers: req.headers, limits: { maxBodyBytes } },
        req,
      );
      await ingest.submit(src.workspaceId, src.sourceId, result.events);
      return reply.status(200).send(respond(result));
    }

    const segmentBatch: Parser = (body, ctx) => parseSegmentBatch(body, ctx);
    for (const path of ['/v1/batch', '/v1/b', '/beacon/v1/batch']) {
      app.post(path, hidden, (req, reply) => collect(req, reply, segmentBatch));
    }
    app.post('/v1/m', hidden, async (_req, reply) => reply.status(200).send({ success: true }));
    app.post('/v1/collect', hidden, (req, reply) =>
      collect(
        req,
        reply,
        single((body, ctx) => parseCollect(body, ctx)),
      ),
    );
    app.post<{ Params: { type: string } }>('/v1/:type', hidden, (req, reply) =>
      collect(
        req,
        reply,
        single((body, ctx) => parseSegmentSingle(req.params.type, body, ctx)),
      ),
    );

    app.get<{ Params: { writeKey: string } }>('/v1/projects/:writeKey/settings', hidden, async (req) => {
      const src = await workspaces.resolveWriteKey(req.params.writeKey);
      if (!src) throw new UnauthorizedError('Unknown or revoked write key');
      const proto =
        (req.headers['x-forwarded-proto'] === 'https' && config.http.trustProxy) || req.protocol === 'https';
      return segmentSettingsResponse({
        writeKey: req.params.writeKey,
        host: req.host,
        protocol: proto ? 'https' : 'http',
      });
    });
    for (const path of ['/sourceConfig', '/sourceConfig/']) {
      app.get(path, hidden, async (req) => {
        const src = await source(req, undefined);
        return rudderSourceConfigResponse({ id: src.sourceId, name: src.name, workspaceId: src.workspaceId });
      });
    }

    const posthog: Parser = (body, ctx) => parsePostHogCapture(body, ctx);
    for (const path of ['/batch', '/e', '/i/v0/e', '/capture', '/track', '/engage']) {
      app.post(path, hidden, (req, reply) => collect(req, reply, posthog));
      app.post(`${path}/`, hidden, (req, reply) => collect(req, reply, posthog));
    }
    for (const path of ['/flags', '/flags/']) app.post(path, hidden, async () => posthogFlagsResponse());
    for (const path of ['/decide', '/decide/']) app.post(path, hidden, async () => posthogDecideResponse());

    for (const prefix of ['/api/s', '/api/s/s2s']) {
      app.post<{ Params: { type: string } }>(`${prefix}/:type`, hidden, (req, reply) =>
        collect(
          req,
          reply,
          single((body, ctx) => parseJitsuEvent(req.params.type, body, ctx)),
          jitsuResponse,
        ),
      );
    }
  };
}
