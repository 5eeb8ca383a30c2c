import type { Logger } from 'pino';
import { assertCan, type Principal } from '../auth/index.ts';
import {
  blockingKeys,
  candidatePairs,
  type IdentitySettings,
  isMatch,
  type MatchRecord,
  matchRecordOf,
  scorePair,
  traitValues,
} from '../core/identity/index.ts';
import { newId } from '../core/ids.ts';
import type { JobRunner, JobView } from '../jobs/index.ts';
import type { IdentityMatchRepository, ScoredPair } from '../storage/repositories/identity-match.ts';
import type { MergeOutcome, PairMerger } from './match-merge.ts';
import type { IdentityResolver } from './resolver.ts';

/**
 * Probabilistic matching as a job: profiles that share no identifier but look like one person
 * (name, birth date, city, an email or phone a typo apart; see core/identity/match.ts).
 * Pairs scoring at or above the workspace threshold merge (when matching is enabled); pairs
 * within `REVIEW_MARGIN` below it wait for review as pending match candidates.
 */
export const MATCH_JOB = 'identity.match';

/** Pairs this many points below the threshold (or above it without enough evidence) go to review. */
export const REVIEW_MARGIN = 3;

const PAGE_SIZE = 1000;
/** Pairs merged per exclusive turn, so ingestion waits at most one chunk. */
const MERGE_CHUNK = 200;
const DAY_MS = 24 * 3_600_000;

export interface MatchRunResult {
  /** Live profiles read, and those with anything to match on. */
  profiles: number;
  records: number;
  candidatePairs: number;
  /** Blocks skipped as too common a key. */
  skippedBlocks: number;
  threshold: number;
  reviewFloor: number;
  autoMerge: boolean;
  merged: number;
  pending: number;
  /** Pairs left alone because they were rejected before (or their merge was undone). */
  blocked: number;
  /** Pairs that cannot merge: a limit would break (two user_ids), or they became one in this run. */
  conflicts: number;
}

export const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/** Pairs of live records scored and split into merges (best first) and review candidates. */
export function classifyPairs(
  records: ReadonlyMap<string, MatchRecord>,
  pairs: readonly [string, string][],
  settings: IdentitySettings,
  blocked: ReadonlySet<string>,
): { merge: ScoredPair[]; review: ScoredPair[]; blocked: number } {
  const { enabled, threshold } = settings.probabilistic;
  const merge: ScoredPair[] = [];
  const review: ScoredPair[] = [];
  let skipped = 0;
  for (const [a, b] of pairs) {
    if (blocked.has(pairKey(a, b))) {
      skipped++;
      continue;
    }
    const result = scorePair(records.get(a)!, records.get(b)!);
    const pair = { a, b, score: result.score, features: result.features };
    if (enabled && isMatch(result, threshold)) merge.push(pair);
    else if (result.score >= threshold - REVIEW_MARGIN) review.push(pair);
  }
  // Best first; the sort is stable, so equal scores keep the pairs' id order.
  merge.sort((x, y) => y.score - x.score);
  review.sort((x, y) => y.score - x.score);
  return { merge, review, blocked: skipped };
}

export function identityMatching(deps: {
  matchRepo: IdentityMatchRepository;
  merger: PairMerger;
  resolver: IdentityResolver;
  jobs: JobRunner;
  countLive: (workspaceId: string) => Promise<number>;
  /** Stored settings, read without warming the resolver's caches (the schedule visits every workspace). */
  storedSettings: (workspaceId: string) => Promise<IdentitySettings>;
  log: Logger;
}) {
  const { matchRepo, merger, resolver, jobs, log } = deps;

  async function loadRecords(
    workspaceId: string,
    signal: AbortSignal | undefined,
    progress: (processed: number, total?: number) => void,
  ): Promise<{ profiles: number; records: Map<string, MatchRecord> }> {
    const total = await deps.countLive(workspaceId);
    const records = new Map<string, MatchRecord>();
    let profiles = 0;
    let after: string | null = null;
    for (;;) {
      if (signal?.aborted) throw new Error('identity matching interrupted');
      const page = await matchRepo.liveProfilesPage(workspaceId, after, PAGE_SIZE);
      for (const row of page) {
        const record = matchRecordOf(row.id, traitValues(row.traits), row.identifiers);
        if (blockingKeys(record).length > 0) records.set(row.id, record);
      }
      profiles += page.length;
      progress(profiles, Math.max(total, profiles));
      if (page.length < PAGE_SIZE) return { profiles, records };
      after = page[page.length - 1].id;
    }
  }

  /** Review pairs that could merge: both live, distinct and within every limit. */
  async function mergeable(workspaceId: string, settings: IdentitySettings, pairs: readonly ScoredPair[]) {
    const out: ScoredPair[] = [];
    for (let i = 0; i < pairs.length; i += MERGE_CHUNK) {
      const chunk = pairs.slice(i, i + MERGE_CHUNK);
      const ok = await merger.check(workspaceId, settings, chunk);
      out.push(...ok);
    }
    return out;
  }

  async function run(
    workspaceId: string,
    opts: { signal?: AbortSignal; progress?: (processed: number, total?: number) => void } = {},
  ): Promise<MatchRunResult> {
    const progress = opts.progress ?? (() => {});
    const settings = await resolver.settings(workspaceId);
    const { profiles, records } = await loadRecords(workspaceId, opts.signal, progress);
    const { pairs, skippedBlocks } = candidatePairs(records.values());
    const blockedPairs = new Set((await matchRepo.blockedPairs(workspaceId)).map(([a, b]) => pairKey(a, b)));
    const classified = classifyPairs(records, pairs, settings, blockedPairs);

    const outcomes: MergeOutcome[] = [];
    for (let i = 0; i < classified.merge.length; i += MERGE_CHUNK) {
      if (opts.signal?.aborted) throw new Error('identity matching interrupted');
      const chunk = classified.merge.slice(i, i + MERGE_CHUNK);
      outcomes.push(
        ...(await resolver.exclusive(() =>
          merger.mergeInTurn(workspaceId, settings, chunk, 'probabilistic'),
        )),
      );
    }
    const merged = outcomes.filter((o) => o.result === 'merged');
    await matchRepo.recordDecided(
      workspaceId,
      merged.map((o) => ({ ...o.pair, id: newId('mc') })),
      'merged',
    );
    const review = await mergeable(workspaceId, settings, classified.review);
    await matchRepo.replacePending(
      workspaceId,
      review.map((x) => ({ ...x, id: newId('mc') })),
    );
    const conflicts =
      outcomes.filter((o) => o.result === 'conflict').length + (classified.review.length - review.length);
    const result: MatchRunResult = {
      profiles,
      records: records.size,
      candidatePairs: pairs.length,
      skippedBlocks,
      threshold: settings.probabilistic.threshold,
      reviewFloor: settings.probabilistic.threshold - REVIEW_MARGIN,
      autoMerge: settings.probabilistic.enabled,
      merged: merged.length,
      pending: review.length,
      blocked: classified.blocked,
      conflicts,
    };
    progress(profiles, profiles);
    log.info({ workspaceId, ...result }, 'identity matching done');
    return result;
  }

  jobs.register(MATCH_JOB, (ctx) =>
    run(ctx.workspaceId, { signal: ctx.signal, progress: (p, t) => ctx.progress(p, t) }),
  );

  /** Enqueues a run unless one is queued or running already (that one is answered then). */
  async function enqueue(workspaceId: string, trigger: 'manual' | 'schedule'): Promise<string> {
    const active = await matchRepo.activeJob(workspaceId, MATCH_JOB);
    if (active) return active;
    return (await jobs.enqueue(workspaceId, MATCH_JOB, { trigger })).id;
  }

  /** Enqueues a run for every workspace with matching enabled whose last run is a day old. */
  async function tick(intervalMs = DAY_MS): Promise<number> {
    let enqueued = 0;
    for (const workspaceId of await matchRepo.dueWorkspaces(MATCH_JOB, intervalMs)) {
      if (!(await deps.storedSettings(workspaceId)).probabilistic.enabled) continue;
      await enqueue(workspaceId, 'schedule');
      enqueued++;
    }
    return enqueued;
  }

  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<unknown> | null = null;

  return {
    run,
    tick,
    /** `POST /identity/match`: the run's job. */
    async request(p: Principal): Promise<JobView> {
      assertCan(p, 'identity:manage');
      return jobs.get(p, await enqueue(p.workspaceId, 'manual'));
    },
    /** Checks hourly which workspaces are due their daily run. */
    start(tickMs = 3_600_000, intervalMs = DAY_MS): void {
      if (timer) return;
      timer = setInterval(() => {
        if (ticking) return;
        ticking = tick(intervalMs)
          .catch((err) => log.warn({ err }, 'identity matching schedule tick failed'))
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

export type IdentityMatching = ReturnType<typeof identityMatching>;
