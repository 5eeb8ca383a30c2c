import { describe, expect, it } from 'vitest';
import {
  acceptedResponse,
  corsHeaders,
  jitsuResponse,
  normalizeBasePath,
  posthogDecideResponse,
  posthogFlagsResponse,
  rudderSourceConfigResponse,
  segmentSettingsResponse,
} from './responses.ts';

const KEY = 'c0123456789abcdefghijklmn';
const rejection = {
  index: 3,
  messageId: 'm3',
  reason: '/batch/3/event: required for track: a non-empty string',
};

describe('response bodies', () => {
  it('answers {"success":true}, listing rejected items when any', () => {
    expect(JSON.stringify(acceptedResponse({ rejected: [] }))).toBe('{"success":true}');
    expect(acceptedResponse({ rejected: [rejection] })).toEqual({ success: true, rejected: [rejection] });
  });

  it('answers Jitsu with JSON and no destinations', () => {
    expect(JSON.stringify(jitsuResponse({ rejected: [] }))).toBe('{"ok":true}');
    expect(jitsuResponse({ rejected: [rejection] })).toEqual({ ok: true, rejected: [rejection] });
  });

  it('gives analytics.js its settings with the request host and protocol', () => {
    expect(
      JSON.stringify(segmentSettingsResponse({ writeKey: KEY, host: 'localhost:8080', protocol: 'http' })),
    ).toBe(
      `{"integrations":{"Segment.io":{"apiKey":"${KEY}","apiHost":"localhost:8080/v1","protocol":"http"}},"plan":{},"metrics":{"sampleRate":0}}`,
    );
    const behindPath = segmentSettingsResponse({
      writeKey: KEY,
      host: 'cdp.example.com',
      protocol: 'https',
      basePath: '/dp',
    });
    expect(behindPath.integrations['Segment.io']).toEqual({
      apiKey: KEY,
      apiHost: 'cdp.example.com/dp/v1',
      protocol: 'https',
    });
  });

  it('normalises the base path', () => {
    expect(['', '/', 'dp', '/dp', '/dp/', '//a/b//'].map((p) => normalizeBasePath(p))).toEqual([
      '/',
      '/',
      '/dp/',
      '/dp/',
      '/dp/',
      '/a/b/',
    ]);
  });

  it('gives the RudderStack JS SDK an enabled source without destinations', () => {
    expect(rudderSourceConfigResponse({ id: 'src_1', name: 'Web', workspaceId: 'ws_1' })).toEqual({
      source: { id: 'src_1', name: 'Web', workspaceId: 'ws_1', enabled: true, config: {}, destinations: [] },
    });
  });

  it('answers PostHog flag calls with no flags in both response versions', () => {
    const body = posthogFlagsResponse();
    expect(body).toMatchObject({
      flags: {},
      featureFlags: {},
      featureFlagPayloads: {},
      errorsWhileComputingFlags: false,
    });
    expect(body.supportedCompression).toContain('gzip');
    expect(posthogDecideResponse()).toEqual(body);
  });

  it('builds CORS headers echoing the origin with credentials, and the headers a preflight asks for', () => {
    const h = corsHeaders('https://shop.example', 'content-type, AnonymousId, x-custom, bad header');
    expect(h['Access-Control-Allow-Origin']).toBe('https://shop.example');
    expect(h['Access-Control-Allow-Credentials']).toBe('true');
    expect(h['Access-Control-Allow-Headers']).toBe(
      'Content-Type, Authorization, X-Write-Key, AnonymousId, SentAt, x-custom',
    );
    const none = corsHeaders(undefined);
    expect(none['Access-Control-Allow-Origin']).toBe('*');
    expect(none).not.toHaveProperty('Access-Control-Allow-Credentials');
  });
});
