/**
 * Segment / RudderStack dialect: `POST /v1/batch` (`/v1/b`, RudderStack `/beacon/v1/batch`)
 * and one message at `POST /v1/{identify|track|page|screen|group|alias}` or the short forms
 * `/v1/{i|t|p|s|g|a}` analytics.js uses.
 *
 * Top-level keys other than the spec's fields (`_metadata`, `channel`, `rudderId`, `writeKey`,
 * …) are not stored; put data in `properties`, `traits` or `context`. So `writeKey` never
 * reaches storage.
 */
import { invalid } from '../errors.ts';
import { isRecord, type Json, mergeContext, optionalRecord, parseTime } from './fields.ts';
import {
  checkBatchSize,
  type Draft,
  headerSentAt,
  resolveLimits,
  root,
  runItems,
  under,
} from './normalize.ts';
import { EVENT_TYPES, type EventType, type ParseContext, type ParseResult } from './types.ts';

/** Route segment → type: the long names and analytics.js's one-letter forms. */
export const SEGMENT_ROUTE_TYPES: Readonly<Record<string, EventType>> = {
  identify: 'identify',
  track: 'track',
  page: 'page',
  screen: 'screen',
  group: 'group',
  alias: 'alias',
  i: 'identify',
  t: 'track',
  p: 'page',
  s: 'screen',
  g: 'group',
  a: 'alias',
};

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

/** What the batch envelope contributes to every item. */
interface Envelope {
  context: Json;
  integrations: Json | undefined;
  sentAt: Date | null;
}

/** A Segment-shaped message → Draft. `type` comes from the route when given, else from the item. */
export function segmentDraft(item: Json, path: string, envelope: Envelope, routeType?: EventType): Draft {
  const type = routeType ?? item.type;
  if (!isEventType(type)) {
    throw invalid(`${path}/type`, `must be one of ${EVENT_TYPES.join(', ')}`);
  }
  const context = mergeContext(envelope.context, optionalRecord(item.context, `${path}/context`));
  const itemIntegrations =
    item.integrations == null ? undefined : optionalRecord(item.integrations, `${path}/integrations`);
  const integrations =
    envelope.integrations || itemIntegrations ? { ...envelope.integrations, ...itemIntegrations } : undefined;
  return {
    type,
    event: item.event,
    name: item.name,
    category: item.category,
    userId: item.userId,
    anonymousId: item.anonymousId,
    groupId: item.groupId,
    previousId: item.previousId,
    messageId: item.messageId,
    properties: item.properties,
    traits: item.traits,
    context,
    integrations,
    timestamp: item.timestamp,
    originalTimestamp: item.originalTimestamp,
    sentAt: item.sentAt,
    fallbackSentAt: envelope.sentAt,
  };
}

/**
 * `{"batch":[…], "context"?, "integrations"?, "sentAt"?, "writeKey"?}`. The batch's context and
 * integrations are merged into each item (item wins; context one level deep); an item's
 * `sentAt` wins over the batch's, which wins over the `SentAt` header.
 * Throws (400) when the body is not an object, `batch` is not an array, has more than 2,500
 * items, or the envelope's own fields are malformed; every item gets its own outcome.
 */
export function parseSegmentBatch(body: unknown, ctx: ParseContext): ParseResult {
  if (!isRecord(body)) throw invalid('', 'must be a JSON object with a "batch" array');
  if (!Array.isArray(body.batch)) throw invalid('/batch', 'must be an array of messages');
  checkBatchSize(body.batch, '/batch', resolveLimits(ctx));
  const envelope: Envelope = {
    context: optionalRecord(body.context, '/context'),
    integrations: body.integrations == null ? undefined : optionalRecord(body.integrations, '/integrations'),
    sentAt: parseTime(body.sentAt, '/sentAt') ?? headerSentAt(ctx),
  };
  return runItems(body.batch, under('/batch'), ctx, (item, path) => segmentDraft(item, path, envelope));
}

/** The type a route segment names, or a 400 naming the route. */
export function routeType(route: string, table: Readonly<Record<string, EventType>>): EventType {
  const type = Object.hasOwn(table, route) ? table[route] : undefined;
  if (!type)
    throw invalid(
      '/type',
      `unknown call type ${JSON.stringify(route)}; use one of ${Object.keys(table).join(', ')}`,
    );
  return type;
}

/**
 * One message posted to `/v1/{type}`; `route` is the last path segment (`track` or `t`). The
 * route decides the type. Throws (400) for an unknown route or a body that is not an object;
 * a message that breaks a field rule comes back in `rejected` (index 0).
 */
export function parseSegmentSingle(route: string, body: unknown, ctx: ParseContext): ParseResult {
  const type = routeType(route, SEGMENT_ROUTE_TYPES);
  if (!isRecord(body)) throw invalid('', 'must be a JSON object (one message)');
  const envelope: Envelope = { context: {}, integrations: undefined, sentAt: headerSentAt(ctx) };
  return runItems([body], root, ctx, (item, path) => segmentDraft(item, path, envelope, type));
}
