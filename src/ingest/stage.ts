import type { TrackedEvent } from '../core/tracking/index.ts';

/** One event on its way to storage, with where it came from. */
export interface IngestItem {
  workspaceId: string;
  sourceId: string;
  event: TrackedEvent;
}

/**
 * The identity boundary: runs once per flush, before the events are stored, over every new
 * (non-duplicate) event of the flush in arrival order. It must make its own writes durable
 * (PostgreSQL) before it returns, and answers each event's profile id (same order).
 */
export interface IdentityStage {
  resolve(items: readonly IngestItem[]): Promise<string[]>;
}
