import { ENCODED } from '../core/tracking/index.ts';
import { chTime } from '../storage/index.ts';
import type { IngestItem } from './stage.ts';

/**
 * The stored row of an event as a JSONEachRow line, without its profile id (known only after
 * identity resolution): `{"profile_id":"…",` is put in front at flush time. Encoding happens when
 * the request arrives, so a flush only concatenates strings.
 *
 * The free-form parts (properties, traits, context) are String columns but are written as JSON
 * objects: ClickHouse stores an object's text verbatim in a String column
 * (`input_format_json_read_objects_as_strings`, on by default), so the text serialised once at
 * normalisation is neither escaped here nor unescaped by ClickHouse.
 */
export function encodeRowTail(item: IngestItem): string {
  const e = item.event;
  const parts = e[ENCODED];
  const traits = storedTraits(item);
  return (
    `"workspace_id":${JSON.stringify(item.workspaceId)},"message_id":${JSON.stringify(e.messageId)}` +
    `,"type":${JSON.stringify(e.type)},"event":${JSON.stringify(e.event)}` +
    `,"user_id":${JSON.stringify(e.userId ?? '')},"anonymous_id":${JSON.stringify(e.anonymousId ?? '')}` +
    `,"source_id":${JSON.stringify(item.sourceId)}` +
    `,"timestamp":"${chTime(e.timestamp)}","received_at":"${chTime(e.receivedAt)}"` +
    `,"properties":${objectText(parts?.properties ?? JSON.stringify(e.properties ?? {}))}` +
    `,"traits":${objectText(parts && traits === e.traits ? parts.traits : JSON.stringify(traits))}` +
    `,"context":${objectText(parts?.context ?? JSON.stringify(e.context ?? {}))}}`
  );
}

/** A JSON object's text as it is; anything else (not expected) as a JSON string. */
function objectText(json: string): string {
  return json.charCodeAt(0) === 123 /* { */ ? json : JSON.stringify(json);
}

/** Traits as stored on the event: the call's own traits (identify) plus `$set_once` ones. */
function storedTraits(item: IngestItem): Record<string, unknown> {
  const e = item.event;
  if (e.type === 'group') return e.traits ?? {};
  return e.setOnceTraits && Object.keys(e.setOnceTraits).length
    ? { ...e.traits, $set_once: e.setOnceTraits }
    : (e.traits ?? {});
}

export function rowLine(profileId: string, tail: string): string {
  return `{"profile_id":${JSON.stringify(profileId)},${tail}\n`;
}

export const EVENT_COLUMNS = [
  'profile_id',
  'workspace_id',
  'message_id',
  'type',
  'event',
  'user_id',
  'anonymous_id',
  'source_id',
  'timestamp',
  'received_at',
  'properties',
  'traits',
  'context',
] as const;
