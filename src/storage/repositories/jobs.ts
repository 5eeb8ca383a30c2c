import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../postgres/client.ts';
import { jobs } from '../postgres/schema.ts';

export type JobRow = typeof jobs.$inferSelect;

/** Durable job state: queue, lease, progress. */
export function jobRepository(db: Db) {
  return {
    async insert(j: {
      id: string;
      workspaceId: string;
      kind: string;
      payload: unknown;
      maxAttempts: number;
    }): Promise<JobRow> {
      const [row] = await db.insert(jobs).values(j).returning();
      return row;
    },
    async get(workspaceId: string, id: string): Promise<JobRow | null> {
      const rows = await db
        .select()
        .from(jobs)
        .where(and(eq(jobs.workspaceId, workspaceId), eq(jobs.id, id)));
      return rows[0] ?? null;
    },
    /** Claims the next due job (or one whose lease ran out) for `leaseMs`. */
    async claim(kinds: readonly string[], leaseMs: number): Promise<JobRow | null> {
      if (kinds.length === 0) return null;
      const rows = await db
        .update(jobs)
        .set({
          status: 'running',
          attempts: sql`${jobs.attempts} + 1`,
          lockedUntil: sql`now() + make_interval(secs => ${leaseMs / 1000})`,
          startedAt: sql`coalesce(${jobs.startedAt}, now())`,
        })
        .where(
          eq(
            jobs.id,
            sql`(select id from jobs where kind in ${kinds} and ((status = 'queued' and run_at <= now()) or (status = 'running' and locked_until < now())) order by run_at limit 1 for update skip locked)`,
          ),
        )
        .returning();
      return rows[0] ?? null;
    },
    async heartbeat(
      id: string,
      leaseMs: number,
      processed: number,
      total: number | null,
      progress: number,
    ): Promise<void> {
      await db
        .update(jobs)
        .set({
          lockedUntil: sql`now() + make_interval(secs => ${leaseMs / 1000})`,
          processed,
          total,
          progress,
        })
        .where(and(eq(jobs.id, id), eq(jobs.status, 'running')));
    },
    async finish(id: string, result: unknown): Promise<void> {
      await db
        .update(jobs)
        .set({
          status: 'done',
          result: result ?? null,
          progress: 1,
          lockedUntil: null,
          finishedAt: new Date(),
          error: null,
        })
        .where(eq(jobs.id, id));
    },
    async fail(id: string, error: string): Promise<void> {
      await db
        .update(jobs)
        .set({ status: 'failed', error, lockedUntil: null, finishedAt: new Date() })
        .where(eq(jobs.id, id));
    },
    async retryLater(id: string, error: string, delayMs: number): Promise<void> {
      await db
        .update(jobs)
        .set({
          status: 'queued',
          error,
          lockedUntil: null,
          runAt: sql`now() + make_interval(secs => ${delayMs / 1000})`,
        })
        .where(eq(jobs.id, id));
    },
    /** Single-node start-up: nothing else can be running them, so requeue at once. */
    async requeueRunning(): Promise<number> {
      const rows = await db
        .update(jobs)
        .set({ status: 'queued', lockedUntil: null })
        .where(eq(jobs.status, 'running'))
        .returning({ id: jobs.id });
      return rows.length;
    },
  };
}

export type JobRepository = ReturnType<typeof jobRepository>;
