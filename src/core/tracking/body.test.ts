import { deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataPulseError } from '../errors.ts';
import { decodeBody, MAX_JSON_DEPTH, resolveBodyLimits } from './body.ts';

const KB = 1024;
const doc = { batch: [{ type: 'track', event: 'Signed Up', userId: 'u1' }] };
const json = Buffer.from(JSON.stringify(doc));

function errorOf(fn: () => unknown): DataPulseError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DataPulseError) return err;
    throw err;
  }
  throw new Error('expected a DataPulseError');
}

describe('decodeBody', () => {
  it('parses JSON whatever the Content-Type says', () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json', undefined]) {
      expect(decodeBody(json, { 'content-type': type })).toEqual(doc);
    }
  });

  it('inflates gzip named by Content-Encoding (rudder-sdk-node, posthog-node)', () => {
    const headers = { 'content-encoding': 'gzip', 'content-type': 'application/x-www-form-urlencoded' };
    expect(decodeBody(gzipSync(json), headers)).toEqual(doc);
  });

  it('inflates gzip found by its magic bytes when no header says so', () => {
    const gz = gzipSync(json);
    expect(gz[0]).toBe(0x1f);
    expect(decodeBody(gz, {})).toEqual(doc);
    expect(decodeBody(gz)).toEqual(doc);
  });

  it('reads a header name in any case', () => {
    expect(decodeBody(gzipSync(json), { 'Content-Encoding': 'GZIP' })).toEqual(doc);
  });

  it('takes a gzip header on a plain body as already decoded', () => {
    expect(decodeBody(json, { 'content-encoding': 'gzip' })).toEqual(doc);
  });

  it('inflates deflate and strips a byte-order mark', () => {
    expect(decodeBody(deflateSync(json), { 'content-encoding': 'deflate' })).toEqual(doc);
    expect(decodeBody(Buffer.concat([Buffer.from('\ufeff'), json]))).toEqual(doc);
  });

  it('refuses an encoding it cannot decode', () => {
    const err = errorOf(() => decodeBody(json, { 'content-encoding': 'br' }));
    expect(err.status).toBe(400);
    expect(err.details[0].path).toBe('/headers/content-encoding');
  });

  it('answers 400 for truncated gzip', () => {
    const gz = gzipSync(json);
    const err = errorOf(() => decodeBody(gz.subarray(0, gz.length - 10), { 'content-encoding': 'gzip' }));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/gzip/);
  });

  it('answers 400 for a body that is not JSON, and for an empty one', () => {
    const bad = errorOf(() => decodeBody(Buffer.from('{"batch": [')));
    expect(bad.status).toBe(400);
    expect(bad.message).toMatch(/not valid JSON/);
    expect(errorOf(() => decodeBody(Buffer.alloc(0))).message).toMatch(/empty/);
    expect(errorOf(() => decodeBody(Buffer.from('  \n'))).status).toBe(400);
  });

  it('answers 413 for a raw body over the limit', () => {
    const big = Buffer.from(JSON.stringify({ s: 'x'.repeat(500 * KB) }));
    const err = errorOf(() => decodeBody(big));
    expect(err.status).toBe(413);
    expect(err.code).toBe('payload_too_large');
  });

  it('accepts a body of exactly the limit and refuses one byte more after decompression', () => {
    const exact = Buffer.from(JSON.stringify({ s: 'x'.repeat(500 * KB - 8) }));
    expect(exact.length).toBe(500 * KB);
    expect(decodeBody(gzipSync(exact))).toEqual({ s: 'x'.repeat(500 * KB - 8) });
    const over = Buffer.from(JSON.stringify({ s: 'x'.repeat(500 * KB - 7) }));
    expect(errorOf(() => decodeBody(gzipSync(over))).status).toBe(413);
  });

  it('refuses a gzip bomb: small on the wire, far over the limit inflated', () => {
    const bomb = gzipSync(Buffer.alloc(64 * KB * KB, 0x20)); // 64 MB of spaces
    expect(bomb.length).toBeLessThan(100 * KB);
    const err = errorOf(() => decodeBody(bomb, { 'content-encoding': 'gzip' }));
    expect(err.status).toBe(413);
    expect(err.message).toMatch(/after decompression/);
  });

  it('has a configurable limit of at most 4 MB', () => {
    const body = Buffer.from(JSON.stringify({ s: 'x'.repeat(1024 * KB) }));
    expect(errorOf(() => decodeBody(body)).status).toBe(413);
    expect(decodeBody(body, {}, { maxBodyBytes: 4 * KB * KB })).toEqual({ s: 'x'.repeat(1024 * KB) });
    expect(resolveBodyLimits().maxBodyBytes).toBe(500 * KB);
    const err = errorOf(() => resolveBodyLimits({ maxBodyBytes: 4 * KB * KB + 1 }));
    expect(err.details[0].path).toBe('/limits/maxBodyBytes');
  });

  it('refuses JSON nested deeper than the limit, without overflowing the stack', () => {
    const deep = (n: number) => Buffer.from(`${'['.repeat(n)}${']'.repeat(n)}`);
    expect(decodeBody(deep(MAX_JSON_DEPTH))).toBeDefined();
    expect(errorOf(() => decodeBody(deep(MAX_JSON_DEPTH + 1))).message).toMatch(/nested/);
    expect(errorOf(() => decodeBody(deep(200_000))).status).toBe(400);
  });

  it('reads posthog-js base64 form bodies (data=…)', () => {
    const events = [{ event: '$pageview', properties: { distinct_id: 'd1', token: 'ck' } }];
    const form = `data=${encodeURIComponent(Buffer.from(JSON.stringify(events)).toString('base64'))}`;
    expect(decodeBody(Buffer.from(form), { 'content-type': 'application/x-www-form-urlencoded' })).toEqual(
      events,
    );
  });
});
