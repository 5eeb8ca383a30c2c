import type { Logger } from 'pino';
import { assertCan, type Principal } from '../auth/index.ts';
import { NotFoundError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { JobRepository, JobRow } from '../storage/repositories/jobs.ts';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobView {
  id: string;
  kind: string;
  status: JobStatus;
  progress: number;
  processed: number;
  total: number | null;
  error?: string;
  result?: unknown;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export function jobView(j: JobRow): JobView {
  return {
    id: j.id,
    kind: j.kind,
    status: j.status as JobStatus,
    progress: j.progress,
    processed: j.processed,
    total: j.total,
    ...(j.error && j.status === 'failed' ? { error: j.error } : {}),
    ...(j.result !== null && j.result !== undefined ? { result: j.result } : {}),
    createdAt: j.createdAt.toISOString(),
    startedAt: j.startedAt ? j.startedAt.toISOString() : null,
    finishedAt: j.finishedAt ? j.finishedAt.toISOString() : null,
  };
}

export interface JobContext {
  id: string;
  workspaceId: string;
  payload: unknown;
  attempt: number;
  /** Aborted when the process shuts down; the job is then resumed on the next start. */
  signal: AbortSignal;
  /** Reports progress (persisted at most every 500 ms). */
  progress(processed: number, total?: number | null): void;
}

export type JobHandler = (ctx: JobContext) => Promise<unknown>;

export interface JobRunnerOptions {
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  /** Single process owning the store: requeue jobs left running by a crash at once. */
  singleNode?: boolean;
}

class Shutdown extends Error {}

/**
 * Durable jobs in PostgreSQL, run by in-process workers. A job survives a crash: its lease runs
 * out (or, on a single node, it is requeued at start) and it runs again from its payload.
 */
export function jobRunner(repo: JobRepository, log: Logger, opts: JobRunnerOptions = {}) {
  const concurrency = opts.concurrency ?? 2;
  const leaseMs = opts.leaseMs ?? 30_000;
  const pollMs = opts.pollMs ?? 1_000;
  const handlers = new Map<string, JobHandler>();
  const running = new Set<Promise<void>>();
  const abort = new AbortController();
  let started = false;
  let wake: (() => void) | null = null;
  let loop: Promise<void> | null = null;

  async function runOne(job: JobRow): Promise<void> {
    const handler = handlers.get(job.kind)!;
    let processed = job.processed;
    let total = job.total;
    let dirty = false;
    const beat = async () => {
      const progress = total && total > 0 ? Math.min(1, processed / total) : 0;
      await repo
        .heartbeat(job.id, leaseMs, processed, total, progress)
        .catch((err) => log.warn({ err, job: job.id }, 'heartbeat failed'));
      dirty = false;
    };
    const timer = setInterval(() => void beat(), Math.min(500, leaseMs / 3));
    const jlog = log.child({ job: job.id, kind: job.kind });
    try {
      jlog.info({ attempt: job.attempts }, 'job started');
      if (job.attempts > job.maxAttempts)
        throw new Error('job failed too many times (its worker stopped while running it)');
      const result = await handler({
        id: job.id,
        workspaceId: job.workspaceId,
        payload: job.payload,
        attempt: job.attempts,
        signal: abort.signal,
        progress(p, t) {
          processed = p;
          if (t !== undefined) total = t;
          dirty = true;
        },
      });
      if (abort.signal.aborted) throw new Shutdown();
      clearInterval(timer);
      if (dirty) await beat();
      await repo.finish(job.id, result);
      jlog.info('job done');
    } catch (err) {
      clearInterval(timer);
      if (err instanceof Shutdown || abort.signal.aborted) {
        await repo.retryLater(job.id, 'interrupted by shutdown', 0);
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      if (job.attempts < job.maxAttempts && !message.includes('too many times')) {
        jlog.warn({ err }, 'job failed, will retry');
        await repo.retryLater(job.id, message, 1000 * 2 ** job.attempts);
      } else {
        jlog.error({ err }, 'job failed');
        await repo.fail(job.id, message);
      }
    }
  }

  async function pump(): Promise<void> {
    while (!abort.signal.aborted) {
      let claimed: JobRow | null = null;
      if (running.size < concurrency) {
        claimed = await repo.claim([...handlers.keys()], leaseMs).catch((err) => {
          log.error({ err }, 'job claim failed');
          return null;
        });
      }
      if (claimed) {
        const p = runOne(claimed).finally(() => {
          running.delete(p);
          wake?.();
        });
        running.add(p);
        continue;
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(t);
          wake = null;
          resolve();
        };
      });
    }
  }

  return {
    register(kind: string, handler: JobHandler) {
      handlers.set(kind, handler);
    },
    async enqueue(workspaceId: string, kind: string, payload: unknown, maxAttempts = 3): Promise<JobView> {
      const row = await repo.insert({
        id: newId('job'),
        workspaceId,
        kind,
        payload: payload ?? {},
        maxAttempts,
      });
      wake?.();
      return jobView(row);
    },
    async get(p: Principal, id: string): Promise<JobView> {
      assertCan(p, 'jobs:read');
      const row = await repo.get(p.workspaceId, id);
      if (!row) throw new NotFoundError('Job');
      return jobView(row);
    },
    async start() {
      if (started) return;
      started = true;
      if (opts.singleNode) {
        const n = await repo.requeueRunning();
        if (n > 0) log.info({ jobs: n }, 'resuming jobs interrupted by a previous stop');
      }
      loop = pump();
    },
    /** Stops claiming, interrupts running jobs (they resume on the next start) and waits for them. */
    async stop() {
      abort.abort();
      wake?.();
      await loop;
      await Promise.allSettled([...running]);
    },
  };
}

export type JobRunner = ReturnType<typeof jobRunner>;
