/** Segment definitions and run bookkeeping in PostgreSQL. */
import { and, asc, desc, eq, ilike, inArray, isNotNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../storage/index.ts';
import { type NewSegmentRow, type SegmentRow, segments } from './schema.ts';

export interface ListFilter {
  q?: string;
  tag?: string;
  type?: 'dynamic' | 'static';
  /** Ids sort by creation time: the page after this id, newest first. */
  beforeId?: string;
  limit: number;
}

/** `%`, `_` and `\` match themselves in a LIKE pattern. */
function likeText(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function segmentRepository(db: Db) {
  const one = (ws: string, id: string) => and(eq(segments.workspaceId, ws), eq(segments.id, id));

  return {
    async insert(row: NewSegmentRow): Promise<SegmentRow> {
      const [r] = await db.insert(segments).values(row).returning();
      return r;
    },

    async get(ws: string, id: string): Promise<SegmentRow | null> {
      const rows = await db.select().from(segments).where(one(ws, id));
      return rows[0] ?? null;
    },

    async getMany(ws: string, ids: readonly string[]): Promise<SegmentRow[]> {
      if (ids.length === 0) return [];
      return db
        .select()
        .from(segments)
        .where(and(eq(segments.workspaceId, ws), inArray(segments.id, [...ids])));
    },

    async list(ws: string, f: ListFilter): Promise<SegmentRow[]> {
      const where = [eq(segments.workspaceId, ws)];
      if (f.q) {
        const pattern = likeText(f.q);
        where.push(or(ilike(segments.name, pattern), ilike(segments.description, pattern))!);
      }
      if (f.tag) where.push(sql`${segments.tags} @> ARRAY[${f.tag}]::text[]`);
      if (f.type) where.push(eq(segments.type, f.type));
      if (f.beforeId) where.push(lt(segments.id, f.beforeId));
      return db
        .select()
        .from(segments)
        .where(and(...where))
        .orderBy(desc(segments.id))
        .limit(f.limit);
    },

    /** Dynamic segments of a workspace (id and rule): references resolve against them. */
    async dynamicRules(ws: string): Promise<{ id: string; rule: unknown }[]> {
      return db
        .select({ id: segments.id, rule: segments.rule })
        .from(segments)
        .where(and(eq(segments.workspaceId, ws), eq(segments.type, 'dynamic')));
    },

    /** Segments whose rule references `id` directly. */
    async referencing(ws: string, id: string): Promise<{ id: string; name: string }[]> {
      return db
        .select({ id: segments.id, name: segments.name })
        .from(segments)
        .where(
          and(
            eq(segments.workspaceId, ws),
            isNotNull(segments.rule),
            sql`jsonb_path_exists(${segments.rule}, '$.** ? (@.segment == $id)', jsonb_build_object('id', ${id}::text))`,
          ),
        );
    },

    async update(ws: string, id: string, patch: Partial<NewSegmentRow>): Promise<SegmentRow | null> {
      const rows = await db.update(segments).set(patch).where(one(ws, id)).returning();
      return rows[0] ?? null;
    },

    async remove(ws: string, id: string): Promise<boolean> {
      const rows = await db.delete(segments).where(one(ws, id)).returning({ id: segments.id });
      return rows.length > 0;
    },

    /** Dynamic segments whose next scheduled run is due, oldest first. */
    async due(now: Date, limit: number): Promise<SegmentRow[]> {
      return db
        .select()
        .from(segments)
        .where(and(eq(segments.type, 'dynamic'), isNotNull(segments.schedule), lte(segments.nextRunAt, now)))
        .orderBy(asc(segments.nextRunAt))
        .limit(limit);
    },

    /** Moves the next run forward if nobody else did (one node enqueues each run). */
    async claimRun(id: string, expected: Date, next: Date | null): Promise<boolean> {
      const rows = await db
        .update(segments)
        .set({ nextRunAt: next })
        .where(and(eq(segments.id, id), eq(segments.nextRunAt, expected)))
        .returning({ id: segments.id });
      return rows.length > 0;
    },

    async recordRun(
      ws: string,
      id: string,
      run: { size: number; computedAt: Date; durationMs: number },
    ): Promise<void> {
      await db
        .update(segments)
        .set({
          lastSize: run.size,
          lastComputedAt: run.computedAt,
          lastDurationMs: Math.round(run.durationMs),
          lastError: null,
          lastErrorAt: null,
        })
        .where(one(ws, id));
    },

    async recordFailure(ws: string, id: string, message: string): Promise<void> {
      await db
        .update(segments)
        .set({ lastError: message.slice(0, 2000), lastErrorAt: new Date() })
        .where(one(ws, id));
    },

    /** Real-time changes move the size without a full count. */
    async addToSize(ws: string, id: string, delta: number): Promise<void> {
      if (delta === 0) return;
      await db
        .update(segments)
        .set({ lastSize: sql`greatest(0, coalesce(${segments.lastSize}, 0) + ${delta})` })
        .where(one(ws, id));
    },
  };
}

export type SegmentRepository = ReturnType<typeof segmentRepository>;
