/** Response shapes of the REST API the console reads (docs/api, specs/api-contract.md). */

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export const ROLES = ['owner', 'admin', 'analyst', 'marketer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface Source {
  id: string;
  name: string;
  writeKey: string;
  createdAt: string;
}

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface CreatedToken extends ApiToken {
  token: string;
}

export interface StoredEvent {
  messageId: string;
  type: string;
  event: string;
  userId: string | null;
  anonymousId: string | null;
  profileId: string;
  properties: Record<string, unknown>;
  traits: Record<string, unknown>;
  context: Record<string, unknown>;
  timestamp: string;
  receivedAt: string;
}

export interface Identity {
  type: string;
  value: string;
  firstSeen: string;
  lastSeen: string;
  source: string;
  shared: boolean;
}

export interface Profile {
  id: string;
  traits: Record<string, unknown>;
  traitSources: Record<string, { source: string; time: string }>;
  identities: Identity[];
  devices: { id: string; type: string | null; firstSeen: string; lastSeen: string }[];
  pushTokens: { token: string; platform: string | null; lastUsed: string; invalidated: boolean }[];
  segments: string[];
  mergedFrom: string[];
  firstSeen: string;
  lastSeen: string;
  createdAt: string;
  updatedAt: string;
  redirectedFrom?: string;
}

export interface Merge {
  id: string;
  survivorId: string;
  mergedId: string;
  reason: string;
  linkedBy: { kind: string; value: string }[] | unknown;
  messageId: string | null;
  score: number | null;
  at: string;
  undoneAt: string | null;
}

export interface OverviewReport {
  series: {
    date: string;
    activeUsers: number;
    newUsers: number;
    returningUsers: number;
    sessions: number;
    events: number;
  }[];
  totals: { dau: number; wau: number; mau: number; stickiness: number | null };
}

/** Event types of the tracking API, for filters. */
export const EVENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;

/** Identifier kinds of identity resolution (docs/identity.md), for lookups. */
export const IDENTIFIER_KINDS = [
  'email',
  'phone',
  'user_id',
  'anonymous_id',
  'device_id',
  'push_token',
] as const;
