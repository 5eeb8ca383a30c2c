/**
 * Jitsu dialect: `@jitsu/js` posts one analytics.js-shaped event per request to
 * `POST /api/s/{type}` (browser) or `POST /api/s/s2s/{type}` (server-to-server), with the key in
 * `X-Write-Key` and a masked copy (`***`, `id:***`) in the body's `writeKey`, which is dropped.
 * It sends `groupId: null` on every call when no group was set; null ids count as absent.
 * The answer must be JSON (`jitsuResponse` in responses.ts).
 */
import { invalid } from '../errors.ts';
import { isRecord } from './fields.ts';
import { headerSentAt, root, runItems } from './normalize.ts';
import { routeType, segmentDraft } from './segment.ts';
import type { EventType, ParseContext, ParseResult } from './types.ts';

export const JITSU_ROUTE_TYPES: Readonly<Record<string, EventType>> = {
  page: 'page',
  track: 'track',
  identify: 'identify',
  group: 'group',
  alias: 'alias',
  screen: 'screen',
};

/** `route` is the `{type}` path segment; the same for the browser and the s2s route. */
export function parseJitsuEvent(route: string, body: unknown, ctx: ParseContext): ParseResult {
  const type = routeType(route, JITSU_ROUTE_TYPES);
  if (!isRecord(body)) throw invalid('', 'must be a JSON object (one event)');
  const envelope = { context: {}, integrations: undefined, sentAt: headerSentAt(ctx) };
  return runItems([body], root, ctx, (item, path) => segmentDraft(item, path, envelope, type));
}
