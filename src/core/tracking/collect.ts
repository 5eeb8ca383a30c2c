/**
 * Seed 004 tracker payload at `POST /v1/collect`:
 * `{client_id, device_type, push_token, user_id, email, phone, event, timestamp, properties}`,
 * one object, an array of them, or `{"batch": [...]}`.
 *
 * Mapping (Segment names, so every dialect lands in the same fields):
 * - `user_id` → userId, `client_id` → anonymousId (one is required); an event carrying both
 *   links the device to the user (seed 004 scenario 2).
 * - `client_id`, `device_type`, `push_token` → `context.device` `{id, type, token}` (Segment's
 *   `device.token` is the push token); `email`, `phone` → `context.traits`.
 * - `type` is optional (default `track`, which needs `event`); `identify` takes `traits`.
 * - `message_id` / `messageId` → messageId; `sent_at` / `sentAt` → sentAt; `timestamp` as sent.
 * - Any other top-level key (seed 004 lists `page_url`, `product_id`, `auth_status`, … beside
 *   the ids) goes into `properties`; keys inside `properties` win. `writeKey`, `write_key`,
 *   `api_key` and `token` are dropped.
 */
import { invalid } from '../errors.ts';
import { coerceId, compact, isRecord, type Json, optionalRecord, parseTime } from './fields.ts';
import {
  checkBatchSize,
  type Draft,
  headerSentAt,
  resolveLimits,
  root,
  runItems,
  under,
} from './normalize.ts';
import { isEventType } from './segment.ts';
import type { ParseContext, ParseResult } from './types.ts';

const KNOWN_KEYS = [
  'client_id',
  'device_type',
  'push_token',
  'user_id',
  'email',
  'phone',
  'event',
  'type',
  'timestamp',
  'properties',
  'traits',
  'context',
  'message_id',
  'messageId',
  'sent_at',
  'sentAt',
];
const DROPPED_KEYS = ['writeKey', 'write_key', 'api_key', 'token'];

function text(value: unknown, path: string): string | undefined {
  return coerceId(value, path) ?? undefined;
}

function collectDraft(item: Json, path: string, fallbackSentAt: Date | null): Draft {
  const type = item.type ?? 'track';
  if (!isEventType(type))
    throw invalid(`${path}/type`, 'must be one of track, page, screen, identify, group, alias');
  const extra = Object.fromEntries(
    Object.entries(item).filter(([key]) => !KNOWN_KEYS.includes(key) && !DROPPED_KEYS.includes(key)),
  );
  const context = optionalRecord(item.context, `${path}/context`);
  // Top-level fields win over the same facts in context; absent ones leave context as sent.
  const device = {
    ...optionalRecord(context.device, `${path}/context/device`),
    ...compact({
      id: text(item.client_id, `${path}/client_id`),
      type: text(item.device_type, `${path}/device_type`),
      token: text(item.push_token, `${path}/push_token`),
    }),
  };
  const traits = {
    ...optionalRecord(context.traits, `${path}/context/traits`),
    ...compact({ email: text(item.email, `${path}/email`), phone: text(item.phone, `${path}/phone`) }),
  };
  return {
    type,
    event: item.event,
    userId: item.user_id,
    anonymousId: item.client_id,
    messageId: item.message_id ?? item.messageId,
    properties: { ...extra, ...optionalRecord(item.properties, `${path}/properties`) },
    traits: item.traits,
    context: compact({
      ...context,
      device: Object.keys(device).length ? device : undefined,
      traits: Object.keys(traits).length ? traits : undefined,
    }),
    timestamp: item.timestamp,
    sentAt: item.sent_at ?? item.sentAt,
    fallbackSentAt,
    sources: {
      userId: 'user_id',
      anonymousId: 'client_id',
      messageId: item.message_id != null ? 'message_id' : 'messageId',
      sentAt: item.sent_at != null ? 'sent_at' : 'sentAt',
    },
  };
}

export function parseCollect(body: unknown, ctx: ParseContext): ParseResult {
  const fallbackSentAt = headerSentAt(ctx);
  const toDraft = (item: Json, path: string) => collectDraft(item, path, fallbackSentAt);
  if (Array.isArray(body)) {
    checkBatchSize(body, '', resolveLimits(ctx));
    return runItems(body, under(''), ctx, toDraft, ['message_id', 'messageId']);
  }
  if (isRecord(body) && Array.isArray(body.batch)) {
    checkBatchSize(body.batch, '/batch', resolveLimits(ctx));
    const batchSentAt = parseTime(body.sent_at ?? body.sentAt, body.sent_at != null ? '/sent_at' : '/sentAt');
    return runItems(
      body.batch,
      under('/batch'),
      ctx,
      (item, path) => collectDraft(item, path, batchSentAt ?? fallbackSentAt),
      ['message_id', 'messageId'],
    );
  }
  if (!isRecord(body)) throw invalid('', 'must be a JSON object, an array of them, or {"batch": [...]}');
  return runItems([body], root, ctx, toDraft, ['message_id', 'messageId']);
}
