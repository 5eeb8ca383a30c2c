import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';
import { buildApp } from './app.ts';

const ROUTES = [
  '/v1/batch',
  '/v1/b',
  '/v1/track',
  '/v1/i',
  '/v1/page',
  '/v1/alias',
  '/v1/group',
  '/v1/collect',
  '/batch/',
  '/e/',
  '/capture/',
  '/i/v0/e/',
  '/api/s/track',
  '/api/s/s2s/identify',
  '/beacon/v1/batch',
  '/v1/nope',
];

/** Random and garbled bodies never produce a 5xx, a crash or a non-JSON answer. */
describe('collection API fuzz', () => {
  let t: TestPlatform;
  let app: FastifyInstance;
  let writeKey: string;
  beforeAll(async () => {
    t = await createTestPlatform();
    app = await buildApp(t.platform);
    writeKey = (
      await t.platform.workspaces.createSource(
        {
          workspaceId: (
            await t.platform.workspaces.listWorkspaces({
              workspaceId: '',
              role: 'owner',
              tokenId: null,
              instanceOwner: true,
            })
          ).data[0].id,
          role: 'owner',
          tokenId: null,
          instanceOwner: true,
        },
        { name: 'fuzz' },
      )
    ).writeKey;
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('never answers 5xx and always answers JSON', async () => {
    const item = fc.record(
      {
        type: fc.oneof(fc.constantFrom('track', 'identify', 'page', 'screen', 'group', 'alias'), fc.string()),
        event: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        userId: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.object()),
        anonymousId: fc.oneof(fc.uuid(), fc.constant(undefined)),
        messageId: fc.oneof(fc.string({ maxLength: 120 }), fc.constant(undefined)),
        timestamp: fc.oneof(
          fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'bad' : d.toISOString())),
          fc.string(),
          fc.integer(),
        ),
        properties: fc.oneof(fc.object(), fc.string(), fc.constant(null)),
        context: fc.oneof(fc.object(), fc.constant([])),
        traits: fc.oneof(fc.object(), fc.integer()),
        distinct_id: fc.oneof(fc.string(), fc.constant(undefined)),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      fc
        .record({
          batch: fc.array(item, { maxLength: 20 }),
          writeKey: fc.constant(writeKey),
          sentAt: fc.oneof(fc.string(), fc.constant(undefined)),
        })
        .map((b) => Buffer.from(JSON.stringify(b))),
      item.map((i) => Buffer.from(JSON.stringify({ ...i, writeKey, api_key: writeKey }))),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))),
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
      fc.string().map((s) => Buffer.from(s)),
      item.map((i) => gzipSync(JSON.stringify({ batch: [i], writeKey })).subarray(0, 30)),
      item.map((i) => gzipSync(JSON.stringify({ batch: [i], api_key: writeKey }))),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        body,
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', ''),
        fc.boolean(),
        async (url, payload, contentType, auth) => {
          const res = await app.inject({
            method: 'POST',
            url,
            payload,
            headers: {
              ...(contentType ? { 'content-type': contentType } : {}),
              ...(auth ? { 'x-write-key': writeKey } : {}),
            },
          });
          expect(res.statusCode, res.body).toBeLessThan(500);
          expect(() => JSON.parse(res.body)).not.toThrow();
        },
      ),
      { numRuns: 400 },
    );
  });
});
