/** Collection API, pure part: body decoding, write-key lookup, dialect parsers, response bodies. */
export { extractWriteKey, isMaskedKey, type WriteKeySources } from './auth.ts';
export { type BodyLimits, decodeBody, MAX_JSON_DEPTH, resolveBodyLimits } from './body.ts';
export { parseCollect } from './collect.ts';
export { JITSU_ROUTE_TYPES, parseJitsuEvent } from './jitsu.ts';
export { parsePostHogCapture } from './posthog.ts';
export {
  acceptedResponse,
  CORS_ALLOWED_HEADERS,
  corsHeaders,
  jitsuResponse,
  normalizeBasePath,
  posthogDecideResponse,
  posthogFlagsResponse,
  rudderSourceConfigResponse,
  segmentSettingsResponse,
} from './responses.ts';
export { parseSegmentBatch, parseSegmentSingle, SEGMENT_ROUTE_TYPES } from './segment.ts';
export * from './types.ts';
