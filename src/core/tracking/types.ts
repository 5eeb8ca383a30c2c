/**
 * The internal event every collection dialect (Segment, RudderStack, PostHog, Jitsu, seed 004
 * `/v1/collect`) maps to. See specs/tracking-api.md.
 */

export const EVENT_TYPES = ['track', 'page', 'screen', 'identify', 'group', 'alias'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * `event` for the calls that carry no event name of their own. One constant per type, the same
 * whichever SDK sent the call: a PostHog `$pageview` and an analytics.js `page()` are both
 * `Page Viewed`, so one funnel step matches both. The page or screen name is kept in
 * `properties.name` (analytics.js sends it top-level; it is copied there when absent).
 * `track` keeps the name the caller gave.
 */
export const EVENT_NAME_OF_TYPE: Readonly<Record<Exclude<EventType, 'track'>, string>> = {
  page: 'Page Viewed',
  screen: 'Screen Viewed',
  identify: 'Identify',
  group: 'Group',
  alias: 'Alias',
};

/**
 * Key of the JSON texts of an event's free-form parts, made once by `normalize` for its size check
 * and reused for the stored row (nothing changes an event after `normalize`).
 */
export const ENCODED: unique symbol = Symbol('encoded');

export interface EncodedParts {
  properties: string;
  traits: string;
  context: string;
}

export interface TrackedEvent {
  /** The idempotency key together with the write key; generated (UUID v4) when absent. */
  messageId: string;
  type: EventType;
  /** `track`: the caller's name; other types: `EVENT_NAME_OF_TYPE[type]`. */
  event: string;
  userId: string | null;
  anonymousId: string | null;
  /** `group`: required. Other calls keep a valid `groupId` when one is sent (Jitsu sends it on every call). */
  groupId?: string;
  /** `alias`: the id being linked to `userId`. */
  previousId?: string;
  properties: Record<string, unknown>;
  /**
   * The call's own `traits`, as sent: the user's traits on `identify`, the group's on `group`.
   * `context.traits` (sent on any call, RudderStack copies identify traits there) stays in
   * `context`: the identity service reads both as profile traits, except a group's `traits`.
   */
  traits: Record<string, unknown>;
  /** PostHog `$set_once`: traits to set only when the profile has no value yet. */
  setOnceTraits?: Record<string, unknown>;
  context: Record<string, unknown>;
  integrations?: Record<string, unknown>;
  /** Skew-corrected event time (see normalize.ts). */
  timestamp: Date;
  sentAt: Date | null;
  receivedAt: Date;
  /** The device clock's time for the event, as sent (`originalTimestamp`, else `timestamp`). */
  originalTimestamp?: Date;
  [ENCODED]?: EncodedParts;
}

/** One item of a request that was not accepted; the rest of the request is. */
export interface Rejection {
  index: number;
  messageId: string | null;
  /** Starts with the JSON path of the offending field, e.g. `/batch/3/event: required for track`. */
  reason: string;
}

export interface ParseResult {
  events: TrackedEvent[];
  rejected: Rejection[];
}

/** Node / Fastify request headers: lower-case names. */
export type HeaderMap = Record<string, string | string[] | undefined>;

export type QueryMap = Record<string, unknown>;

export interface TrackingLimits {
  /** Per request, after decompression. */
  maxBodyBytes: number;
  /** Per event, serialised as stored. */
  maxEventBytes: number;
  maxBatchEvents: number;
  /** `messageId` must be shorter than this. */
  maxMessageIdLength: number;
}

export const KB = 1024;
/** The most `maxBodyBytes` may be configured to. */
export const MAX_BODY_BYTES_CEILING = 4 * KB * KB;

export const DEFAULT_LIMITS: Readonly<TrackingLimits> = {
  maxBodyBytes: 500 * KB,
  maxEventBytes: 32 * KB,
  maxBatchEvents: 2_500,
  maxMessageIdLength: 100,
};

/** What the HTTP layer knows about the request, beyond its body. */
export interface ParseContext {
  /** Set by the server when the request arrived. */
  receivedAt: Date;
  /** The client's address as resolved by the HTTP layer (proxy-aware); fills `context.ip`. */
  ip?: string | null;
  /** Request headers; only `SentAt` is read here. */
  headers?: HeaderMap;
  limits?: Partial<TrackingLimits>;
  /** Makes messageIds for items that have none; defaults to `crypto.randomUUID`. */
  newMessageId?: () => string;
}
