/**
 * Runs evaluations and records them: full recomputes, real-time re-evaluation of some
 * profiles, and membership replaced from a list (uploads, snapshots, copies). One evaluation of
 * a segment at a time in this process, so two diffs never interleave.
 */
import type { Logger } from 'pino';
import { invalid, NotFoundError } from '../core/errors.ts';
import type { Rule } from '../core/segments/rule-schema.ts';
import { param, type SqlFragment, sql } from '../core/sql.ts';
import { type ChangeSource, MAX_INLINE_CHANGES, type SegmentBus } from './bus.ts';
import { allMembersSql, type RuleMap, ruleContext, someMembersSql } from './evaluation-sql.ts';
import type { AppliedDiff, MembershipStore } from './membership.ts';
import type { SegmentRepository } from './repository.ts';

export interface RecomputeResult {
  size: number;
  entered: number;
  exited: number;
  durationMs: number;
  computedAt: string;
}

export function segmentEvaluator(deps: {
  repo: SegmentRepository;
  membership: MembershipStore;
  bus: SegmentBus;
  log: Logger;
}) {
  const { repo, membership, bus, log } = deps;
  const locks = new Map<string, Promise<unknown>>();

  /** Runs `fn` after every earlier evaluation of the same segment finished. */
  function serial<T>(segmentId: string, fn: () => Promise<T>): Promise<T> {
    const before = locks.get(segmentId) ?? Promise.resolve();
    const next = before.catch(() => undefined).then(fn);
    const tail = next.catch(() => undefined);
    locks.set(segmentId, tail);
    void tail.then(() => {
      if (locks.get(segmentId) === tail) locks.delete(segmentId);
    });
    return next;
  }

  async function publish(workspaceId: string, segmentId: string, diff: AppliedDiff, source: ChangeSource) {
    const total = diff.entered + diff.exited;
    if (total === 0) return;
    const changes =
      total <= MAX_INLINE_CHANGES
        ? await membership.changesOf(workspaceId, segmentId, diff.at, diff.version)
        : null;
    try {
      bus.emit('membership', {
        workspaceId,
        segmentId,
        at: diff.at.toISOString(),
        version: diff.version,
        source,
        entered: diff.entered,
        exited: diff.exited,
        changes,
      });
    } catch (err) {
      log.error({ err, segment: segmentId }, 'membership listener failed');
    }
  }

  async function rulesOf(workspaceId: string): Promise<Map<string, unknown>> {
    return new Map((await repo.dynamicRules(workspaceId)).map((r) => [r.id, r.rule]));
  }

  return {
    serial,
    rulesOf,

    /** Evaluates a dynamic segment over the whole workspace and stores the difference. */
    recompute(
      workspaceId: string,
      segmentId: string,
      progress: (step: number, steps: number) => void = () => undefined,
    ): Promise<RecomputeResult> {
      return serial(segmentId, async () => {
        const seg = await repo.get(workspaceId, segmentId);
        if (!seg) throw new NotFoundError('Segment');
        if (seg.type !== 'dynamic' || seg.rule === null) {
          throw invalid('/type', 'static segments change only by upload or snapshot');
        }
        const t0 = performance.now();
        try {
          progress(0, 3);
          const rules = await rulesOf(workspaceId);
          const { members, settings } = allMembersSql(
            seg.rule as Rule,
            ruleContext(workspaceId, rules, segmentId),
          );
          const diff = await membership.applyDiff({
            workspaceId,
            segmentId,
            members,
            settings,
            source: 'recompute',
          });
          progress(1, 3);
          const size = await membership.size(workspaceId, segmentId);
          progress(2, 3);
          const durationMs = performance.now() - t0;
          await repo.recordRun(workspaceId, segmentId, { size, computedAt: diff.at, durationMs });
          await publish(workspaceId, segmentId, diff, 'recompute');
          progress(3, 3);
          return {
            size,
            entered: diff.entered,
            exited: diff.exited,
            durationMs: Math.round(durationMs),
            computedAt: diff.at.toISOString(),
          };
        } catch (err) {
          await repo
            .recordFailure(workspaceId, segmentId, err instanceof Error ? err.message : String(err))
            .catch((e) => log.warn({ err: e, segment: segmentId }, 'could not record a failed recompute'));
          throw err;
        }
      });
    },

    /**
     * Re-evaluates one segment for some profiles (those an ingested batch touched, with the ids
     * merged into them) and stores their enters and exits.
     */
    evaluateProfiles(
      workspaceId: string,
      segmentId: string,
      rule: Rule,
      rules: RuleMap,
      profileIds: readonly string[],
    ): Promise<AppliedDiff> {
      return serial(segmentId, async () => {
        // Deleted while this evaluation waited: nothing to write.
        if (!(await repo.get(workspaceId, segmentId)))
          return { at: new Date(), version: 0, entered: 0, exited: 0 };
        const database = await membership.database();
        const ctx = ruleContext(workspaceId, rules, segmentId);
        const q = someMembersSql(rule, ctx, profileIds, database);
        const diff = await membership.applyDiff({
          workspaceId,
          segmentId,
          members: q.members,
          with: q.with,
          scope: sql`SELECT arrayJoin(${param(profileIds, 'Array(String)')})`,
          source: 'realtime',
        });
        await repo.addToSize(workspaceId, segmentId, diff.entered - diff.exited);
        await publish(workspaceId, segmentId, diff, 'realtime');
        return diff;
      });
    },

    /**
     * Makes `members` (a `SELECT profile_id`) the membership of a static segment; with `scope`,
     * only profiles in the scope are compared (others keep their state).
     */
    replace(
      workspaceId: string,
      segmentId: string,
      members: SqlFragment,
      source: ChangeSource,
      scope?: SqlFragment,
    ): Promise<AppliedDiff & { size: number }> {
      return serial(segmentId, async () => {
        const t0 = performance.now();
        const diff = await membership.applyDiff({ workspaceId, segmentId, members, scope, source });
        const size = await membership.size(workspaceId, segmentId);
        await repo.recordRun(workspaceId, segmentId, {
          size,
          computedAt: diff.at,
          durationMs: performance.now() - t0,
        });
        await publish(workspaceId, segmentId, diff, source);
        return { ...diff, size };
      });
    },
  };
}

export type SegmentEvaluator = ReturnType<typeof segmentEvaluator>;
