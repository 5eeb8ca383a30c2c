import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, varchar } from 'drizzle-orm/pg-core';
import { workspaces } from '../storage/postgres/schema.ts';

/**
 * Segments (seed 003): the definition lives here, the membership in ClickHouse
 * (segment_members, segment_history). A static segment has no rule and no schedule.
 */
export const segments = pgTable(
  'segments',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: varchar('name', { length: 200 }).notNull(),
    description: text('description').notNull().default(''),
    /** The rule (specs/segment-rules.md); null for static segments. */
    rule: jsonb('rule'),
    /** dynamic | static */
    type: text('type').notNull(),
    /** Whole minutes ("15") or a five-field cron expression; null = on demand only. */
    schedule: text('schedule'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    /** Token ids of the callers (console users later). */
    createdBy: text('created_by'),
    updatedBy: text('updated_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastSize: bigint('last_size', { mode: 'number' }),
    lastComputedAt: timestamp('last_computed_at', { withTimezone: true, mode: 'date' }),
    lastDurationMs: integer('last_duration_ms'),
    /** Error of the latest evaluation; cleared by the next successful one. */
    lastError: text('last_error'),
    lastErrorAt: timestamp('last_error_at', { withTimezone: true, mode: 'date' }),
    /** When the scheduler enqueues the next recompute (dynamic segments with a schedule). */
    nextRunAt: timestamp('next_run_at', { withTimezone: true, mode: 'date' }),
    /** The latest recompute job, so a schedule does not pile jobs up behind a slow one. */
    recomputeJobId: text('recompute_job_id'),
  },
  (t) => [
    index('segments_ws_idx').on(t.workspaceId, t.id),
    index('segments_due_idx').on(t.nextRunAt),
    index('segments_tags_idx').using('gin', t.tags),
  ],
);

export type SegmentRow = typeof segments.$inferSelect;
export type NewSegmentRow = typeof segments.$inferInsert;
