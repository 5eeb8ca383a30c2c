/**
 * Recompute jobs and the schedule that enqueues them. Every `tickMs` the scheduler takes the
 * dynamic segments whose next run is due, moves their next run forward (a conditional update,
 * so one node enqueues each run) and enqueues a recompute unless the previous one is still
 * queued or running.
 */
import type { Logger } from 'pino';
import { NotFoundError } from '../core/errors.ts';
import type { JobRunner, JobView } from '../jobs/index.ts';
import type { SegmentEvaluator } from './evaluator.ts';
import type { SegmentRepository } from './repository.ts';
import { nextRun, scheduleFromText } from './schedule.ts';
import type { SegmentRow } from './schema.ts';

export const RECOMPUTE_JOB = 'segments.recompute';

/** Why a recompute runs; `realtime` = too many profiles touched at once to re-evaluate one by one. */
export type RecomputeTrigger = 'manual' | 'schedule' | 'create' | 'update' | 'realtime';

export interface RecomputePayload {
  segmentId: string;
  trigger: RecomputeTrigger;
}

export function recomputeJobs(deps: {
  jobs: JobRunner;
  repo: SegmentRepository;
  evaluator: SegmentEvaluator;
  /** Status of a job of the workspace, or null when there is none. */
  jobStatus: (workspaceId: string, jobId: string) => Promise<string | null>;
  log: Logger;
}) {
  const { jobs, repo, evaluator, log } = deps;
  jobs.register(RECOMPUTE_JOB, async (ctx) => {
    const { segmentId } = ctx.payload as RecomputePayload;
    try {
      return await evaluator.recompute(ctx.workspaceId, segmentId, (step, steps) =>
        ctx.progress(step, steps),
      );
    } catch (err) {
      // Deleted after the job was queued: nothing to compute, nothing to retry.
      if (err instanceof NotFoundError) return { skipped: 'segment deleted' };
      throw err;
    }
  });

  async function enqueue(
    workspaceId: string,
    segmentId: string,
    trigger: RecomputeTrigger,
  ): Promise<JobView> {
    const payload: RecomputePayload = { segmentId, trigger };
    const job = await jobs.enqueue(workspaceId, RECOMPUTE_JOB, payload);
    await repo.update(workspaceId, segmentId, { recomputeJobId: job.id });
    return job;
  }

  /** Enqueues a recompute unless the segment's previous one is still queued or running. */
  async function enqueueUnlessPending(
    seg: Pick<SegmentRow, 'id' | 'workspaceId' | 'recomputeJobId'>,
    trigger: RecomputeTrigger,
  ): Promise<boolean> {
    const previous = seg.recomputeJobId ? await deps.jobStatus(seg.workspaceId, seg.recomputeJobId) : null;
    if (previous === 'queued' || previous === 'running') return false;
    await enqueue(seg.workspaceId, seg.id, trigger);
    return true;
  }

  async function tick(now = new Date()): Promise<number> {
    let enqueued = 0;
    for (const seg of await repo.due(now, 100)) {
      const schedule = scheduleFromText(seg.schedule);
      const next = schedule ? nextRun(schedule, now.getTime()) : null;
      if (!(await repo.claimRun(seg.id, seg.nextRunAt!, next === null ? null : new Date(next)))) continue;
      if (await enqueueUnlessPending(seg, 'schedule')) enqueued++;
    }
    return enqueued;
  }

  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<unknown> | null = null;

  return {
    enqueue,
    /** A full recompute instead of real-time evaluation of very many profiles. */
    async recomputeAll(workspaceId: string, segmentId: string): Promise<void> {
      const seg = await repo.get(workspaceId, segmentId);
      if (seg) await enqueueUnlessPending(seg, 'realtime');
    },
    /** Enqueues the due recomputes once; returns how many. */
    tick,
    start(tickMs = 15_000): void {
      if (timer) return;
      timer = setInterval(() => {
        if (ticking) return;
        ticking = tick()
          .catch((err) => log.warn({ err }, 'segment schedule tick failed'))
          .finally(() => {
            ticking = null;
          });
      }, tickMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await ticking;
    },
  };
}

export type RecomputeJobs = ReturnType<typeof recomputeJobs>;
