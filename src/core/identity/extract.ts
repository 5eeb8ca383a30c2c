import { type Identifier, type IdentifierKind, identifierKey } from './kinds.ts';
import { normalizeExternalId, normalizeIdentifier, type RejectReason } from './normalize.ts';
import type { IdentitySettings } from './settings.ts';

/**
 * The parts of an internal event that carry identity. Besides the Segment-style fields it reads
 * the flat fields of seed 004 (`client_id`, `device_type`, `push_token`, `user_id`, `email`,
 * `phone`) at the top level, and `client_id`, `push_token`, `user_id`, `device_type` in
 * `properties`. `properties.email`/`phone` are NOT read: a property describes the action (the
 * friend a user invited), not the person acting.
 */
export interface IdentityEvent {
  userId?: unknown;
  anonymousId?: unknown;
  traits?: unknown;
  properties?: unknown;
  context?: {
    traits?: unknown;
    device?: { id?: unknown; type?: unknown; token?: unknown } | null;
    externalIds?: unknown;
  } | null;
  user_id?: unknown;
  client_id?: unknown;
  device_type?: unknown;
  push_token?: unknown;
  email?: unknown;
  phone?: unknown;
}

export interface RejectedIdentifier {
  kind: IdentifierKind;
  raw: unknown;
  reason: RejectReason;
  /** JSON path of the value in the event, e.g. `/context/traits/email`. */
  path: string;
}

export interface ExtractedIdentifiers {
  /** Normalised, without duplicates, in the order found (see `SOURCES`). */
  identifiers: Identifier[];
  /** Values that did not normalise: counted, kept as traits by the caller, never matched. */
  rejected: RejectedIdentifier[];
  /** `context.device.type` or seed 004's `device_type` (web, ios, android), lower-cased. */
  deviceType?: string;
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

/** Where each kind is read from, in order. */
const SOURCES: { kind: IdentifierKind; path: string[] }[] = [
  { kind: 'user_id', path: ['userId'] },
  { kind: 'user_id', path: ['user_id'] },
  { kind: 'user_id', path: ['properties', 'user_id'] },
  { kind: 'email', path: ['traits', 'email'] },
  { kind: 'email', path: ['context', 'traits', 'email'] },
  { kind: 'email', path: ['email'] },
  { kind: 'phone', path: ['traits', 'phone'] },
  { kind: 'phone', path: ['context', 'traits', 'phone'] },
  { kind: 'phone', path: ['phone'] },
  { kind: 'device_id', path: ['context', 'device', 'id'] },
  { kind: 'push_token', path: ['context', 'device', 'token'] },
  { kind: 'push_token', path: ['push_token'] },
  { kind: 'push_token', path: ['properties', 'push_token'] },
  { kind: 'anonymous_id', path: ['anonymousId'] },
  { kind: 'anonymous_id', path: ['client_id'] },
  { kind: 'anonymous_id', path: ['properties', 'client_id'] },
];

function at(event: IdentityEvent, path: string[]): unknown {
  let cur: unknown = event;
  for (const key of path) {
    const o = obj(cur);
    if (!o || !Object.hasOwn(o, key)) return undefined;
    cur = o[key];
  }
  return cur;
}

/** Absent, null and '' mean "not sent"; anything else is a value to normalise or reject. */
function absent(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

function deviceTypeOf(event: IdentityEvent): string | undefined {
  for (const path of [['context', 'device', 'type'], ['device_type'], ['properties', 'device_type']]) {
    const v = at(event, path);
    if (typeof v === 'string' && v.trim() !== '') return v.trim().toLowerCase();
  }
  return undefined;
}

/** Every identifier an event carries, normalised under the workspace settings. */
export function extractIdentifiers(event: IdentityEvent, settings: IdentitySettings): ExtractedIdentifiers {
  const identifiers: Identifier[] = [];
  const rejected: RejectedIdentifier[] = [];
  const seen = new Set<string>();
  const accept = (id: Identifier) => {
    const key = identifierKey(id);
    if (seen.has(key)) return;
    seen.add(key);
    identifiers.push(id);
  };

  for (const { kind, path } of SOURCES) {
    const raw = at(event, path);
    if (absent(raw)) continue;
    const r = normalizeIdentifier(kind, raw, settings);
    if (r.ok) accept({ kind, value: r.value });
    else rejected.push({ kind, raw, reason: r.reason, path: `/${path.join('/')}` });
  }

  const externalIds = at(event, ['context', 'externalIds']);
  if (Array.isArray(externalIds)) {
    externalIds.forEach((item, i) => {
      const ext = obj(item);
      const path = `/context/externalIds/${i}`;
      if (!ext) {
        rejected.push({ kind: 'external', raw: item, reason: 'not_a_string', path });
        return;
      }
      if (absent(ext.id)) return;
      const r = normalizeExternalId(ext.type, ext.id, settings.defaultCountry);
      if (r.ok) accept({ kind: r.kind, value: r.value });
      else {
        const kind = r.kind ?? (typeof ext.type === 'string' ? ext.type : 'external');
        rejected.push({ kind, raw: ext.id, reason: r.reason, path: r.kind ? `${path}/id` : `${path}/type` });
      }
    });
  }

  const deviceType = deviceTypeOf(event);
  return deviceType === undefined ? { identifiers, rejected } : { identifiers, rejected, deviceType };
}
