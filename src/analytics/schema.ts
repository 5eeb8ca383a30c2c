import { index, jsonb, pgTable, text, timestamp, varchar } from 'drizzle-orm/pg-core';
import { workspaces } from '../storage/postgres/schema.ts';

/**
 * Saved reports and dashboards (the system of record). A saved report keeps a report kind and
 * its spec (specs/reports.md); a dashboard places saved reports on a grid.
 */
export const savedReports = pgTable(
  'saved_reports',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: varchar('name', { length: 200 }).notNull(),
    /** A report kind: overview, funnel, retention, … */
    kind: text('kind').notNull(),
    /** The report spec, validated against the kind's schema. */
    spec: jsonb('spec').notNull(),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('saved_reports_ws_idx').on(t.workspaceId, t.id)],
);

export const dashboards = pgTable(
  'dashboards',
  {
    id: text('id').primaryKey(),
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: varchar('name', { length: 200 }).notNull(),
    /** `[{reportId, x, y, w, h}]`: saved reports of the same workspace on a grid. */
    tiles: jsonb('tiles').notNull(),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('dashboards_ws_idx').on(t.workspaceId, t.id)],
);

export type SavedReportRow = typeof savedReports.$inferSelect;
export type DashboardRow = typeof dashboards.$inferSelect;
