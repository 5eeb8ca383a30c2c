/**
 * The rules every dialect shares (specs/tracking-api.md "Fields"): a dialect turns each item
 * into a {@link Draft} (Segment-shaped, values unchecked) and {@link normalize} checks it and
 * builds the {@link TrackedEvent}. {@link runItems} gives one outcome per item.
 */
import { randomUUID } from 'node:crypto';
import { DataPulseError, invalid } from '../errors.ts';
import {
  checkRange,
  coerceId,
  headerValue,
  isRecord,
  type Json,
  optionalRecord,
  optionalString,
  parseTime,
  withDefault,
} from './fields.ts';
import {
  DEFAULT_LIMITS,
  ENCODED,
  EVENT_NAME_OF_TYPE,
  type EventType,
  type ParseContext,
  type ParseResult,
  type Rejection,
  type TrackedEvent,
  type TrackingLimits,
} from './types.ts';

/** Fields of one message before validation. Keys absent from the source stay undefined. */
export interface Draft {
  type: EventType;
  event?: unknown;
  /** page/screen name and category, copied into properties when these lack them. */
  name?: unknown;
  category?: unknown;
  userId?: unknown;
  anonymousId?: unknown;
  groupId?: unknown;
  previousId?: unknown;
  messageId?: unknown;
  properties?: unknown;
  traits?: unknown;
  setOnceTraits?: unknown;
  context?: unknown;
  integrations?: unknown;
  timestamp?: unknown;
  originalTimestamp?: unknown;
  /** PostHog: milliseconds between the event and sending; wins over `timestamp`. */
  offsetMs?: unknown;
  sentAt?: unknown;
  /** sentAt of the batch or the `SentAt` header, used when the item has none. */
  fallbackSentAt?: Date | null;
  /** Where each field came from in the dialect's payload, for error messages (default: its name). */
  sources?: Partial<Record<keyof Draft, string>>;
}

export function resolveLimits(ctx: ParseContext): TrackingLimits {
  return { ...DEFAULT_LIMITS, ...ctx.limits };
}

/** The `SentAt` request header as a date; an unreadable header is ignored (it is transport metadata). */
export function headerSentAt(ctx: ParseContext): Date | null {
  const raw = headerValue(ctx.headers, 'sentat');
  if (raw === undefined) return null;
  try {
    return parseTime(raw, '/headers/sentat');
  } catch {
    return null;
  }
}

/** More than `maxBatchEvents` items rejects the whole request (400). */
export function checkBatchSize(items: unknown[], path: string, limits: TrackingLimits): void {
  if (items.length > limits.maxBatchEvents) {
    throw invalid(path, `too many events: ${items.length}; at most ${limits.maxBatchEvents} per request`);
  }
}

/** Best-effort messageId of a raw item, for reporting a rejection. */
function messageIdOf(item: unknown, keys: readonly string[]): string | null {
  if (!isRecord(item)) return null;
  for (const key of keys) {
    const v = item[key];
    if (typeof v === 'string' && v !== '') return v.slice(0, 200);
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return null;
}

/**
 * Maps each item through `toDraft` and {@link normalize}. An item that fails any rule is
 * rejected with its index and reason; the others are accepted. Only errors other than
 * `DataPulseError` (bugs) escape. `itemPath(i)` is the JSON path of item i in the body.
 */
export function runItems(
  items: readonly unknown[],
  itemPath: (index: number) => string,
  ctx: ParseContext,
  toDraft: (item: Json, path: string) => Draft,
  messageIdKeys: readonly string[] = ['messageId'],
): ParseResult {
  const limits = resolveLimits(ctx);
  const events: TrackedEvent[] = [];
  const rejected: Rejection[] = [];
  items.forEach((item, index) => {
    const path = itemPath(index);
    try {
      if (!isRecord(item)) throw invalid(path, 'must be an object');
      events.push(normalize(toDraft(item, path), path, ctx, limits));
    } catch (err) {
      if (!(err instanceof DataPulseError)) throw err;
      rejected.push({ index, messageId: messageIdOf(item, messageIdKeys), reason: err.message });
    }
  });
  return { events, rejected };
}

/** Item paths of an array found at `path`: `/batch/0`, `/batch/1`, … */
export const under =
  (path: string) =>
  (index: number): string =>
    `${path}/${index}`;

/** The path of a single-message body: the root. */
export const root = (): string => '';

function pathOf(draft: Draft, base: string, field: keyof Draft): string {
  return `${base}/${draft.sources?.[field] ?? field}`;
}

/**
 * Event time. `originalTimestamp` (else `timestamp`) is the device clock; when `sentAt` (same
 * clock) is known, the device's skew is removed: `timestamp = receivedAt − (sentAt − original)`.
 * A PostHog `offset` means `timestamp = receivedAt − offset`. Nothing sent: `receivedAt`.
 */
function eventTimes(draft: Draft, base: string, receivedAt: Date) {
  const p = (field: keyof Draft) => pathOf(draft, base, field);
  const sentAt = parseTime(draft.sentAt, p('sentAt')) ?? draft.fallbackSentAt ?? null;
  const original =
    parseTime(draft.originalTimestamp, p('originalTimestamp')) ?? parseTime(draft.timestamp, p('timestamp'));
  if (draft.offsetMs !== undefined && draft.offsetMs !== null) {
    if (typeof draft.offsetMs !== 'number' || !Number.isFinite(draft.offsetMs) || draft.offsetMs < 0) {
      throw invalid(p('offsetMs'), 'must be a non-negative number of milliseconds');
    }
    return { sentAt, original, timestamp: checkRange(receivedAt.getTime() - draft.offsetMs, p('offsetMs')) };
  }
  if (original === null) return { sentAt, original, timestamp: receivedAt };
  if (sentAt === null) return { sentAt, original, timestamp: original };
  const corrected = receivedAt.getTime() - (sentAt.getTime() - original.getTime());
  return { sentAt, original, timestamp: checkRange(corrected, p('timestamp')) };
}

function eventName(draft: Draft, base: string): string {
  if (draft.type !== 'track') return EVENT_NAME_OF_TYPE[draft.type];
  const name = draft.event;
  if (typeof name !== 'string' || name.trim() === '') {
    throw invalid(pathOf(draft, base, 'event'), 'required for track: a non-empty string');
  }
  return name;
}

/** Fields other than the free-form parts, as JSON: a generous bound of their names, quotes and dates. */
const FIXED_FIELDS_BYTES = 400;

/** The event's size as JSON; its free-form parts are serialised once and kept for the stored row. */
function serialisedBytes(event: TrackedEvent, path: string): number {
  try {
    const parts = {
      properties: JSON.stringify(event.properties),
      traits: JSON.stringify(event.traits),
      context: JSON.stringify(event.context),
    };
    // Not enumerable: invisible to comparisons and spreads, which simply serialise again.
    Object.defineProperty(event, ENCODED, { value: parts, configurable: true });
    const rest = [
      event.messageId,
      event.event,
      event.userId,
      event.anonymousId,
      event.groupId,
      event.previousId,
    ];
    let bytes = FIXED_FIELDS_BYTES;
    for (const s of [parts.properties, parts.traits, parts.context]) bytes += Buffer.byteLength(s);
    for (const s of rest) if (s) bytes += Buffer.byteLength(s);
    if (event.setOnceTraits) bytes += Buffer.byteLength(JSON.stringify(event.setOnceTraits));
    if (event.integrations) bytes += Buffer.byteLength(JSON.stringify(event.integrations));
    return bytes;
  } catch {
    throw invalid(path, 'cannot be serialised as JSON');
  }
}

/** Checks a draft against the spec's rules and builds the stored event. Throws ValidationError. */
export function normalize(
  draft: Draft,
  base: string,
  ctx: ParseContext,
  limits = resolveLimits(ctx),
): TrackedEvent {
  const p = (field: keyof Draft) => pathOf(draft, base, field);
  const userId = coerceId(draft.userId, p('userId'));
  const anonymousId = coerceId(draft.anonymousId, p('anonymousId'));
  if (userId === null && anonymousId === null) {
    const [u, a] = [draft.sources?.userId ?? 'userId', draft.sources?.anonymousId ?? 'anonymousId'];
    throw invalid(p('userId'), `${u === a ? u : `${u} or ${a}`} is required`);
  }

  const sentMessageId = coerceId(draft.messageId, p('messageId'));
  if (sentMessageId !== null && sentMessageId.length >= limits.maxMessageIdLength) {
    throw invalid(p('messageId'), `must be shorter than ${limits.maxMessageIdLength} characters`);
  }
  const messageId = sentMessageId ?? (ctx.newMessageId ?? randomUUID)();

  const event = eventName(draft, base);
  let properties = optionalRecord(draft.properties, p('properties'));
  const traits = optionalRecord(draft.traits, p('traits'));
  const context = { ...optionalRecord(draft.context, p('context')) };
  const integrations =
    draft.integrations == null ? undefined : optionalRecord(draft.integrations, p('integrations'));
  const setOnce =
    draft.setOnceTraits == null ? undefined : optionalRecord(draft.setOnceTraits, p('setOnceTraits'));

  const groupId = coerceId(draft.groupId, p('groupId'));
  if (draft.type === 'group' && groupId === null) throw invalid(p('groupId'), 'required for group');
  const previousId = coerceId(draft.previousId, p('previousId'));
  if (draft.type === 'alias') {
    if (previousId === null) throw invalid(p('previousId'), 'required for alias');
    if (userId === null) throw invalid(p('userId'), 'required for alias');
  }
  if (draft.type === 'page' || draft.type === 'screen') {
    properties = withDefault(properties, 'name', optionalString(draft.name, p('name')));
    properties = withDefault(properties, 'category', optionalString(draft.category, p('category')));
  }

  const { sentAt, original, timestamp } = eventTimes(draft, base, ctx.receivedAt);
  if (ctx.ip && !(typeof context.ip === 'string' && context.ip !== '')) context.ip = ctx.ip;

  const tracked: TrackedEvent = {
    messageId,
    type: draft.type,
    event,
    userId,
    anonymousId,
    ...(groupId === null ? {} : { groupId }),
    ...(previousId === null ? {} : { previousId }),
    properties,
    traits,
    ...(setOnce ? { setOnceTraits: setOnce } : {}),
    context,
    ...(integrations ? { integrations } : {}),
    timestamp,
    sentAt,
    receivedAt: ctx.receivedAt,
    ...(original ? { originalTimestamp: original } : {}),
  };
  const bytes = serialisedBytes(tracked, base);
  if (bytes > limits.maxEventBytes) {
    throw invalid(base, `event is ${bytes} bytes; at most ${limits.maxEventBytes} bytes per event`);
  }
  return tracked;
}
