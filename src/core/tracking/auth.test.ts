import { describe, expect, it } from 'vitest';
import { extractWriteKey, isMaskedKey } from './auth.ts';

const KEY = 'c0123456789abcdefghijklmn';
const basic = (user: string) => `Basic ${Buffer.from(user).toString('base64')}`;

describe('extractWriteKey', () => {
  it('reads HTTP Basic base64(writeKey + ":") (Segment, RudderStack)', () => {
    expect(extractWriteKey({ headers: { authorization: basic(`${KEY}:`) } })).toBe(KEY);
    expect(extractWriteKey({ headers: { Authorization: basic(KEY) } })).toBe(KEY);
    expect(
      extractWriteKey({ headers: { authorization: `basic   ${Buffer.from(`${KEY}:`).toString('base64')}` } }),
    ).toBe(KEY);
  });

  it('reads X-Write-Key (Jitsu)', () => {
    expect(extractWriteKey({ headers: { 'x-write-key': KEY } })).toBe(KEY);
  });

  it('reads ?writeKey= (RudderStack beacon)', () => {
    expect(extractWriteKey({ query: { writeKey: KEY } })).toBe(KEY);
    expect(extractWriteKey({ query: { writeKey: [KEY, 'other'] } })).toBe(KEY);
  });

  it('reads body writeKey (analytics.js), body api_key and token (PostHog)', () => {
    expect(extractWriteKey({ body: { writeKey: KEY, batch: [] } })).toBe(KEY);
    expect(extractWriteKey({ body: { api_key: KEY, batch: [] } })).toBe(KEY);
    expect(extractWriteKey({ body: { token: KEY, distinct_id: 'd' } })).toBe(KEY);
  });

  it('reads properties.token of a posthog-js event or event array', () => {
    expect(extractWriteKey({ body: { event: '$pageview', properties: { token: KEY } } })).toBe(KEY);
    expect(extractWriteKey({ body: [{ event: 'x', properties: { token: KEY } }] })).toBe(KEY);
  });

  it('takes the first form present, in the spec order', () => {
    const all = {
      headers: { authorization: basic('basic-key:'), 'x-write-key': 'header-key' },
      query: { writeKey: 'query-key' },
      body: { writeKey: 'body-key', api_key: 'api-key', token: 'token-key' },
    };
    expect(extractWriteKey(all)).toBe('basic-key');
    expect(extractWriteKey({ ...all, headers: { 'x-write-key': 'header-key' } })).toBe('header-key');
    expect(extractWriteKey({ ...all, headers: {} })).toBe('query-key');
    expect(extractWriteKey({ body: all.body })).toBe('body-key');
    expect(extractWriteKey({ body: { api_key: 'api-key', token: 'token-key' } })).toBe('api-key');
  });

  it('ignores a masked body writeKey and uses the header Jitsu sends', () => {
    expect(extractWriteKey({ headers: { 'x-write-key': KEY }, body: { writeKey: '***' } })).toBe(KEY);
    expect(extractWriteKey({ body: { writeKey: '***' } })).toBeNull();
    expect(extractWriteKey({ body: { writeKey: 'id:***', api_key: KEY } })).toBe(KEY);
  });

  it('skips empty values and other Authorization schemes', () => {
    expect(extractWriteKey({ headers: { authorization: basic(':') }, query: { writeKey: KEY } })).toBe(KEY);
    expect(
      extractWriteKey({ headers: { authorization: 'Bearer phx_personal', 'x-write-key': ' ' } }),
    ).toBeNull();
    expect(extractWriteKey({ body: { writeKey: 42 } })).toBeNull();
    expect(extractWriteKey({})).toBeNull();
    expect(extractWriteKey({ body: 'text' })).toBeNull();
  });
});

describe('isMaskedKey', () => {
  it('recognises the masks @jitsu/js writes', () => {
    expect(isMaskedKey('***')).toBe(true);
    expect(isMaskedKey('abc:***')).toBe(true);
    expect(isMaskedKey(KEY)).toBe(false);
    expect(isMaskedKey('abc:secret')).toBe(false);
  });
});
