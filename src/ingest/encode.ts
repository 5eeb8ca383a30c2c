import { ENCODED } from '../core/tracking/index.ts';
import { chTime } from '../storage/index.ts';
import type { IngestItem } from './stage.ts';

/**
 * The stored row of an event as a JSONEachRow line, without its profile id (known only after
 * identity resolution): `{"profile_id":"…",` is put in front at flush time. Encoding happens when
 * the request arrives, so a flush only concatenates buffers.
 */
export function encodeRowTail(item: IngestItem): string {
  const e = item.event;
  const parts = e[ENCODED];
  return JSON.stringify({
    workspace_id: item.workspaceId,
    message_id: e.messageId,
    type: e.type,
    event: e.event,
    user_id: e.userId ?? '',
    anonymous_id: e.anonymousId ?? '',
    source_id: item.sourceId,
    timestamp: chTime(e.timestamp),
    received_at: chTime(e.receivedAt),
    properties: parts?.properties ?? JSON.stringify(e.properties ?? {}),
    traits: parts && storedTraits(item) === e.traits ? parts.traits : JSON.stringify(storedTraits(item)),
    context: parts?.context ?? JSON.stringify(e.context ?? {}),
  }).slice(1);
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
