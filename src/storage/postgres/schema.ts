import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** The PostgreSQL system of record. Every table but workspaces carries workspace_id. */

export const workspaces = pgTable('workspaces', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    role: text('role').notNull(),
    /** SHA-256 of the secret, hex. The secret itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    /** First characters of the secret, to tell tokens apart in lists. */
    tokenPrefix: text('token_prefix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('api_tokens_hash_idx').on(t.tokenHash), index('api_tokens_ws_idx').on(t.workspaceId)],
);

export const sources = pgTable(
  'sources',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    writeKey: text('write_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('sources_write_key_idx').on(t.writeKey), index('sources_ws_idx').on(t.workspaceId)],
);

export const jobs = pgTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    /** queued | running | done | failed */
    status: text('status').notNull().default('queued'),
    progress: real('progress').notNull().default(0),
    processed: bigint('processed', { mode: 'number' }).notNull().default(0),
    total: bigint('total', { mode: 'number' }),
    payload: jsonb('payload').notNull().default(sql`'{}'::jsonb`),
    result: jsonb('result'),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(3),
    runAt: timestamp('run_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** A running job's lease; a job whose lease ran out (its worker died) is picked up again. */
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('jobs_pick_idx').on(t.status, t.runAt), index('jobs_ws_idx').on(t.workspaceId, t.createdAt)],
);

/** Profiles: the system of record. A merged-away profile keeps its row with merged_into set. */
export const profiles = pgTable(
  'profiles',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** TraitState: { key: { value, source, time, once? } }. */
    traits: jsonb('traits').notNull().default(sql`'{}'::jsonb`),
    firstSeen: timestamp('first_seen', { withTimezone: true, mode: 'date' }).notNull(),
    lastSeen: timestamp('last_seen', { withTimezone: true, mode: 'date' }).notNull(),
    mergedInto: text('merged_into'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('profiles_ws_idx').on(t.workspaceId, t.id),
    index('profiles_merged_idx').on(t.workspaceId, t.mergedInto),
  ],
);

/** The identity graph: each normalised identifier belongs to one profile. */
export const identities = pgTable(
  'identities',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    value: text('value').notNull(),
    profileId: text('profile_id').notNull(),
    /** Seen with two people (family tablet): kept, never used to link. */
    shared: boolean('shared').notNull().default(false),
    source: text('source').notNull(),
    /** Devices: { type }; push tokens: { platform, invalidated }. */
    meta: jsonb('meta'),
    firstSeen: timestamp('first_seen', { withTimezone: true, mode: 'date' }).notNull(),
    lastSeen: timestamp('last_seen', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.kind, t.value] }),
    index('identities_profile_idx').on(t.workspaceId, t.profileId),
    index('identities_value_idx').on(t.workspaceId, t.value),
  ],
);

/** Every merge: when, why, which identifiers, from which event; undone_at after an unmerge. */
export const profileMerges = pgTable(
  'profile_merges',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    survivorId: text('survivor_id').notNull(),
    mergedId: text('merged_id').notNull(),
    reason: text('reason').notNull(),
    /** The identifiers that linked the profiles. */
    linkedBy: jsonb('linked_by').notNull(),
    /** The merged profile's identifiers at the time, for an unmerge. */
    mergedIdentifiers: jsonb('merged_identifiers').notNull(),
    mergedTraits: jsonb('merged_traits').notNull(),
    messageId: text('message_id'),
    score: real('score'),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    undoneAt: timestamp('undone_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('profile_merges_survivor_idx').on(t.workspaceId, t.survivorId),
    index('profile_merges_merged_idx').on(t.workspaceId, t.mergedId),
  ],
);

/** Per-workspace identity resolution settings (IdentitySettings JSON). */
export const identitySettings = pgTable('identity_settings', {
  workspaceId: text('workspace_id')
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  settings: jsonb('settings').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** Probabilistic match candidates waiting for review. */
export const matchCandidates = pgTable(
  'match_candidates',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    profileA: text('profile_a').notNull(),
    profileB: text('profile_b').notNull(),
    score: real('score').notNull(),
    features: jsonb('features').notNull(),
    /** pending | accepted | rejected | merged (automatically, above the threshold) */
    status: text('status').notNull().default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('match_candidates_pair_idx').on(t.workspaceId, t.profileA, t.profileB),
    index('match_candidates_status_idx').on(t.workspaceId, t.status),
  ],
);
