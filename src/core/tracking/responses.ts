/**
 * Response bodies of the collection API (specs/tracking-api.md "Routes" and "Responses"), as
 * plain values for the HTTP layer to send. Errors are `DataPulseError`s mapped by the API's
 * error handler; these are the 2xx bodies and the CORS headers.
 */
import type { ParseResult, Rejection } from './types.ts';

export interface AcceptedBody {
  success: true;
  rejected?: Rejection[];
}

/** 200 for Segment, RudderStack, PostHog and `/v1/collect`: `{"success":true}`, plus `rejected` when any. */
export function acceptedResponse(result: Pick<ParseResult, 'rejected'>): AcceptedBody {
  return result.rejected.length > 0 ? { success: true, rejected: result.rejected } : { success: true };
}

/** Jitsu must get JSON back (`@jitsu/js` parses it); no `destinations`, so nothing runs in the browser. */
export function jitsuResponse(result: Pick<ParseResult, 'rejected'>): { ok: true; rejected?: Rejection[] } {
  return result.rejected.length > 0 ? { ok: true, rejected: result.rejected } : { ok: true };
}

export interface SettingsRequest {
  writeKey: string;
  /** The `Host` the browser used, with its port (`localhost:8080`). */
  host: string;
  protocol: 'http' | 'https';
  /** Base path the collection API is mounted under; default `/`. */
  basePath?: string;
}

/** `'dp'`, `'/dp'`, `'/dp/'` → `'/dp/'`; `''` and `'/'` → `'/'`. */
export function normalizeBasePath(basePath = '/'): string {
  const trimmed = basePath.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '/' : `/${trimmed}/`;
}

/**
 * `GET /v1/projects/{writeKey}/settings`, what analytics.js loads from its `cdnURL`: it then
 * sends events to `protocol://apiHost/{t,p,i,…}`.
 */
export function segmentSettingsResponse({ writeKey, host, protocol, basePath }: SettingsRequest) {
  return {
    integrations: {
      'Segment.io': { apiKey: writeKey, apiHost: `${host}${normalizeBasePath(basePath)}v1`, protocol },
    },
    plan: {},
    metrics: { sampleRate: 0 },
  };
}

export interface SourceConfigRequest {
  /** The source (write key's owner) id, its display name and workspace id. */
  id: string;
  name: string;
  workspaceId: string;
}

/** `GET /sourceConfig/?writeKey=…` for the RudderStack JS SDK: an enabled source with no device-mode destinations. */
export function rudderSourceConfigResponse({ id, name, workspaceId }: SourceConfigRequest) {
  return { source: { id, name, workspaceId, enabled: true, config: {}, destinations: [] } };
}

/**
 * `POST /flags` and `/decide`: no flags, in both the v2 (`flags`) and v1 (`featureFlags`,
 * `featureFlagPayloads`) shapes, which PostHog SDKs normalise either way. The remote-config
 * part turns browser features off and tells posthog-js the capture routes accept gzip.
 */
export function posthogFlagsResponse() {
  return {
    flags: {},
    featureFlags: {},
    featureFlagPayloads: {},
    errorsWhileComputingFlags: false,
    quotaLimited: [],
    supportedCompression: ['gzip', 'gzip-js'],
    config: { enable_collect_everything: false },
    autocapture_opt_out: true,
    capturePerformance: false,
    sessionRecording: false,
    heatmaps: false,
    surveys: false,
    siteApps: [],
    toolbarParams: {},
    isAuthenticated: false,
  };
}

/** `/decide` answers the same as `/flags`. */
export const posthogDecideResponse = posthogFlagsResponse;

/** Headers always allowed on a cross-origin request, beyond those the preflight asks for. */
export const CORS_ALLOWED_HEADERS = ['Content-Type', 'Authorization', 'X-Write-Key', 'AnonymousId', 'SentAt'];

/**
 * CORS headers for every response of the collection API (not only the preflight): the request's
 * `Origin` is echoed with credentials allowed (browsers refuse `*` with credentials). On a
 * preflight, the headers it asks for (`Access-Control-Request-Headers`) are allowed too: the
 * RudderStack JS SDK, for one, sends an `AnonymousId` header.
 */
export function corsHeaders(origin: string | undefined, requestedHeaders?: string): Record<string, string> {
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': origin && origin !== 'null' ? origin : '*',
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': allowedHeaders(requestedHeaders).join(', '),
    'Access-Control-Max-Age': '86400',
    Vary: 'Origin',
  };
  if (origin && origin !== 'null') headers['Access-Control-Allow-Credentials'] = 'true';
  return headers;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function allowedHeaders(requested: string | undefined): string[] {
  const out = [...CORS_ALLOWED_HEADERS];
  const seen = new Set(out.map((h) => h.toLowerCase()));
  for (const name of (requested ?? '').split(',').map((h) => h.trim())) {
    if (HEADER_NAME.test(name) && !seen.has(name.toLowerCase())) {
      seen.add(name.toLowerCase());
      out.push(name);
    }
  }
  return out;
}
