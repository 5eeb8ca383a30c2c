/**
 * PostHog dialect: `POST /batch/`, `/e/`, `/i/v0/e/`, `/capture/`, all alike. Bodies:
 * - posthog-node: `{"api_key", "batch":[…], "sent_at", "historical_migration"?}` (gzipped);
 * - posthog-js: one event or an array of events, the key in `properties.token`, batched events
 *   carry `offset` (ms before sending) instead of `timestamp`;
 * - legacy capture: one event with `api_key` beside it, or `{"api_key", "data": …}`.
 * Event: `{event, distinct_id | properties.distinct_id, properties, uuid, timestamp, $set?, $set_once?}`.
 *
 * Mapping:
 * - `uuid` → messageId; `event` → type: `$identify` and `$set` → identify (traits from `$set`,
 *   in `properties` or top-level, top-level first then properties), `$create_alias` → alias
 *   (previousId = `properties.alias`), `$groupidentify` → group (groupId = `$group_key`,
 *   traits = `$group_set`), `$pageview` → page, `$screen` → screen (name = `$screen_name`),
 *   anything else → track with that name.
 * - `$set_once` → `setOnceTraits`; on a non-identify event `$set` → `context.traits`.
 * - `distinct_id` → userId when the person is identified, else anonymousId:
 *   - `$identify` with `$anon_distinct_id`: userId = distinct_id, anonymousId = $anon_distinct_id
 *     (the link PostHog makes on identify);
 *   - anonymous when `properties.$is_identified === false` or distinct_id equals
 *     `properties.$device_id` (posthog-js before identify);
 *   - otherwise identified (server SDKs send the user's id); `$device_id`, when different,
 *     becomes anonymousId so the device stays linked;
 *   - `$groupidentify` sent with the SDK's synthetic `$<type>_<key>` id: anonymousId.
 * - context: `library` from `$lib`/`$lib_version`, `page` from `$current_url`/`$pathname`/
 *   `$referrer`/`$host`, `userAgent` from `$raw_user_agent`, `device.id` from `$device_id`,
 *   `ip` from `$ip`. All `$` properties stay in `properties` as PostHog users query them;
 *   only `distinct_id`, `token`, `$set` and `$set_once` are taken out.
 */
import { invalid } from '../errors.ts';
import { coerceId, compact, isRecord, type Json, optionalRecord, parseTime, withDefault } from './fields.ts';
import {
  checkBatchSize,
  type Draft,
  headerSentAt,
  resolveLimits,
  root,
  runItems,
  under,
} from './normalize.ts';
import type { EventType, ParseContext, ParseResult } from './types.ts';

const TYPE_OF_EVENT: Readonly<Record<string, EventType>> = {
  $identify: 'identify',
  $set: 'identify',
  $create_alias: 'alias',
  $groupidentify: 'group',
  $pageview: 'page',
  $screen: 'screen',
};

const MOVED_PROPERTIES = ['distinct_id', 'token', '$set', '$set_once'] as const;

function typeOf(event: unknown): EventType {
  return typeof event === 'string' && Object.hasOwn(TYPE_OF_EVENT, event) ? TYPE_OF_EVENT[event] : 'track';
}

interface Ids {
  userId: unknown;
  anonymousId: unknown;
  /** Where anonymousId came from, for error messages. */
  anonymousSource: string;
}

/** A device id as text; anything unusable counts as absent (it only refines the mapping). */
function deviceIdOf(props: Json): string | null {
  try {
    return coerceId(props.$device_id, '/properties/$device_id');
  } catch {
    return null;
  }
}

function ids(type: EventType, distinctId: string | null, props: Json, distinctSource: string): Ids {
  const deviceId = deviceIdOf(props);
  if (type === 'identify' && props.$anon_distinct_id != null) {
    return {
      userId: distinctId,
      anonymousId: props.$anon_distinct_id,
      anonymousSource: 'properties/$anon_distinct_id',
    };
  }
  const anonymous = { userId: null, anonymousId: distinctId, anonymousSource: distinctSource };
  if (type === 'group' && distinctId === `$${props.$group_type}_${props.$group_key}`) return anonymous;
  if (props.$is_identified === false || (deviceId !== null && deviceId === distinctId)) return anonymous;
  return {
    userId: distinctId,
    anonymousId: deviceId !== distinctId ? deviceId : null,
    anonymousSource: deviceId === null ? distinctSource : 'properties/$device_id',
  };
}

function contextFrom(props: Json): Json {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const library = compact({ name: str(props.$lib), version: str(props.$lib_version) });
  const page = compact({
    url: str(props.$current_url),
    path: str(props.$pathname),
    referrer: str(props.$referrer),
    host: str(props.$host),
  });
  const device = compact({ id: str(props.$device_id) });
  return compact({
    library: Object.keys(library).length ? library : undefined,
    page: Object.keys(page).length ? page : undefined,
    userAgent: str(props.$raw_user_agent),
    device: Object.keys(device).length ? device : undefined,
    ip: str(props.$ip),
  });
}

/** `$set`-style object: top-level and `properties.…` merged, properties winning. */
function personProps(item: Json, props: Json, key: '$set' | '$set_once', path: string): Json | undefined {
  if (item[key] == null && props[key] == null) return undefined;
  return {
    ...optionalRecord(item[key], `${path}/${key}`),
    ...optionalRecord(props[key], `${path}/properties/${key}`),
  };
}

function postHogDraft(item: Json, path: string, fallbackSentAt: Date | null): Draft {
  const type = typeOf(item.event);
  const props = optionalRecord(item.properties, `${path}/properties`);
  const distinctSource =
    item.distinct_id == null && props.distinct_id != null ? 'properties/distinct_id' : 'distinct_id';
  const distinctId = coerceId(item.distinct_id ?? props.distinct_id, `${path}/${distinctSource}`);
  const identity = ids(type, distinctId, props, distinctSource);
  const set = personProps(item, props, '$set', path);
  const setOnce = personProps(item, props, '$set_once', path);
  let properties = Object.fromEntries(
    Object.entries(props).filter(([key]) => !(MOVED_PROPERTIES as readonly string[]).includes(key)),
  );
  let context = contextFrom(props);
  if (set && type !== 'identify' && type !== 'group') context = { ...context, traits: set };
  if (type === 'page') {
    properties = withDefault(properties, 'url', props.$current_url);
    properties = withDefault(properties, 'path', props.$pathname);
    properties = withDefault(properties, 'referrer', props.$referrer);
    properties = withDefault(properties, 'title', props.$title);
  }
  return {
    type,
    event: item.event,
    name: type === 'screen' ? props.$screen_name : undefined,
    userId: identity.userId,
    anonymousId: identity.anonymousId,
    groupId: type === 'group' ? props.$group_key : undefined,
    previousId: type === 'alias' ? props.alias : undefined,
    messageId: item.uuid,
    properties,
    traits: type === 'identify' ? set : type === 'group' ? props.$group_set : undefined,
    setOnceTraits: setOnce,
    context,
    timestamp: item.timestamp,
    offsetMs: item.offset,
    sentAt: item.sent_at,
    fallbackSentAt,
    sources: {
      userId: distinctSource,
      anonymousId: identity.anonymousSource,
      messageId: 'uuid',
      event: 'event',
      groupId: 'properties/$group_key',
      previousId: 'properties/alias',
      traits: type === 'group' ? 'properties/$group_set' : 'properties/$set',
      offsetMs: 'offset',
      sentAt: 'sent_at',
      name: 'properties/$screen_name',
    },
  };
}

/** The events of a capture body and the path they sit at. */
function itemsOf(body: unknown): { items: unknown[]; path: string } | null {
  if (Array.isArray(body)) return { items: body, path: '' };
  if (!isRecord(body)) return null;
  if (Array.isArray(body.batch)) return { items: body.batch, path: '/batch' };
  if (Array.isArray(body.data)) return { items: body.data, path: '/data' };
  if (isRecord(body.data)) return { items: [body.data], path: '/data' };
  if (body.event !== undefined) return { items: [body], path: 'root' };
  return null;
}

/**
 * Any PostHog capture body (see the module comment). Throws (400) for a body that holds no
 * events, more than 2,500 events, or a malformed `sent_at`; each event gets its own outcome.
 */
export function parsePostHogCapture(body: unknown, ctx: ParseContext): ParseResult {
  const found = itemsOf(body);
  if (!found) {
    if (isRecord(body) && 'batch' in body) throw invalid('/batch', 'must be an array of events');
    throw invalid('', 'expected a PostHog event, an array of events, or {"batch": [...]}');
  }
  checkBatchSize(found.items, found.path === 'root' ? '' : found.path || '', resolveLimits(ctx));
  const batchSentAt = isRecord(body) && found.path !== 'root' ? parseTime(body.sent_at, '/sent_at') : null;
  const fallbackSentAt = batchSentAt ?? headerSentAt(ctx);
  const itemPath = found.path === 'root' ? root : under(found.path);
  return runItems(found.items, itemPath, ctx, (item, path) => postHogDraft(item, path, fallbackSentAt), [
    'uuid',
  ]);
}
