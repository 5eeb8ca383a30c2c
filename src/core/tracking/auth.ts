/**
 * Where an SDK puts its write key. The first form present wins (specs/tracking-api.md):
 * 1. `Authorization: Basic base64(writeKey + ":")` — Segment, RudderStack; the user-name part.
 * 2. `X-Write-Key` header — Jitsu.
 * 3. `?writeKey=` query — RudderStack beacon, curl.
 * 4. body `writeKey` — analytics.js; ignored when masked (`***`, `id:***`: Jitsu masks it there
 *    and sends the real key in the header).
 * 5. body `api_key`, then `token` — PostHog server SDKs and flag calls.
 * 6. `properties.token` of the event (or of the first event of an array) — posthog-js, which
 *    carries the project key inside each event.
 * Returns null when none is present; whether the key is known is the auth service's question.
 */
import { headerValue, isRecord } from './fields.ts';
import type { HeaderMap, QueryMap } from './types.ts';

export interface WriteKeySources {
  headers?: HeaderMap;
  query?: QueryMap;
  body?: unknown;
}

const MASKED = /^(?:[^:]*:)?\*+$/;

/** True for a key Jitsu masked before putting it in the body. */
export function isMaskedKey(key: string): boolean {
  return MASKED.test(key);
}

function present(value: unknown): string | null {
  if (Array.isArray(value)) return present(value[0]);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function fromBasicAuth(headers: HeaderMap | undefined): string | null {
  const auth = headerValue(headers, 'authorization');
  const match = auth ? /^Basic\s+(\S+)\s*$/i.exec(auth) : null;
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return present(colon === -1 ? decoded : decoded.slice(0, colon));
}

function fromBody(body: unknown): string | null {
  if (Array.isArray(body)) return fromEventToken(body[0]);
  if (!isRecord(body)) return null;
  const writeKey = present(body.writeKey);
  if (writeKey && !isMaskedKey(writeKey)) return writeKey;
  return present(body.api_key) ?? present(body.token) ?? fromEventToken(body);
}

function fromEventToken(event: unknown): string | null {
  return isRecord(event) && isRecord(event.properties) ? present(event.properties.token) : null;
}

export function extractWriteKey({ headers, query, body }: WriteKeySources): string | null {
  return (
    fromBasicAuth(headers) ??
    present(headerValue(headers, 'x-write-key')) ??
    present(query?.writeKey) ??
    fromBody(body)
  );
}
