import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { workspaces } from '../storage/postgres/schema.ts';

/** Traits a workspace marks as PII on top of the defaults (src/core/pii.ts). */
export const piiSettings = pgTable('pii_settings', {
  workspaceId: text('workspace_id')
    .primaryKey()
    .references(() => workspaces.id, { onDelete: 'cascade' }),
  fields: text('fields').array().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
