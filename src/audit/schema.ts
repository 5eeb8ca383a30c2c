import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The audit log (seeds 000, 002): who did what, when, from where. Append-only — the service
 * has no update or delete, and a trigger (migration 0005_audit_append_only) rejects UPDATE,
 * DELETE and TRUNCATE. No foreign key to workspaces, so the trail outlives what it describes.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: text('workspace_id').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** token | user | system */
    actorType: text('actor_type').notNull(),
    actorId: text('actor_id'),
    role: text('role'),
    ip: text('ip'),
    /** `segments.update`, `profiles.export`, `pii.read`, `auth.login`… */
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    /** succeeded | failed */
    status: text('status').notNull(),
    /** HTTP status, the redacted request body, the query of an export… */
    httpStatus: integer('http_status'),
    detail: jsonb('detail'),
  },
  (t) => [
    index('audit_log_ws_at_idx').on(t.workspaceId, t.at, t.id),
    index('audit_log_ws_target_idx').on(t.workspaceId, t.targetType, t.targetId),
    index('audit_log_ws_action_idx').on(t.workspaceId, t.action),
    // Reads coalesced into one entry list their targets in `detail.targets` (audit/index.ts).
    index('audit_log_targets_idx').using('gin', sql`(${t.detail} -> 'targets') jsonb_path_ops`),
  ],
);

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = typeof auditLog.$inferInsert;
