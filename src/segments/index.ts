/**
 * Segments: definitions in PostgreSQL, membership evaluated and stored in ClickHouse, recomputed
 * on schedule and on demand (jobs), entered in real time as events arrive, changes published
 * on `bus`. See docs/segments.md.
 */
import type { Logger } from 'pino';
import type { Principal } from '../auth/index.ts';
import { type IdentityService, type ProfileJson, withSegments } from '../identity/index.ts';
import type { IngestService } from '../ingest/index.ts';
import type { JobRunner } from '../jobs/index.ts';
import type { ClickHouse, Db } from '../storage/index.ts';
import { jobRepository } from '../storage/repositories/jobs.ts';
import { SegmentBus } from './bus.ts';
import { segmentEvaluator } from './evaluator.ts';
import { memberExport } from './export.ts';
import { membersService } from './members-service.ts';
import { membershipStore } from './membership.ts';
import { profileSegments } from './profile-segments.ts';
import { membershipReads } from './reads.ts';
import { realtimeEntry } from './realtime.ts';
import { segmentRepository } from './repository.ts';
import { recomputeJobs } from './scheduler.ts';
import { segmentService } from './service.ts';

export type { ChangeSource, MemberChange, MembershipChanged, SegmentDeleted } from './bus.ts';
export { MAX_INLINE_CHANGES, SegmentBus } from './bus.ts';
export * from './contract.ts';
export type { RecomputeResult } from './evaluator.ts';
export { RECOMPUTE_JOB } from './scheduler.ts';

export interface SegmentsOptions {
  /** How long touched profiles gather before a real-time evaluation (default 200 ms). */
  realtimeDebounceMs?: number;
  /** How often the schedule is checked (default 15 s). */
  scheduleTickMs?: number;
}

export function createSegments(
  deps: {
    db: Db;
    ch: ClickHouse;
    jobs: JobRunner;
    ingest: IngestService;
    identity: IdentityService;
    log: Logger;
  },
  opts: SegmentsOptions = {},
) {
  const { db, ch, jobs, log } = deps;
  const repo = segmentRepository(db);
  const membership = membershipStore(ch);
  const bus = new SegmentBus();
  const evaluator = segmentEvaluator({ repo, membership, bus, log });
  const jobRepo = jobRepository(db);
  const recompute = recomputeJobs({
    jobs,
    repo,
    evaluator,
    jobStatus: async (ws, id) => (await jobRepo.get(ws, id))?.status ?? null,
    log,
  });
  const service = segmentService({ repo, ch, membership, evaluator, recompute, bus });
  const members = membersService({
    service,
    reads: membershipReads(ch),
    exporter: memberExport(ch),
    membership,
    evaluator,
    identity: {
      settings: (ws) => deps.identity.resolver.settings(ws),
      findIdentities: (ws, keys) => deps.identity.repo.findIdentities(ws, keys),
      profiles: (ws, ids) => deps.identity.repo.profiles(ws, ids),
    },
  });
  const realtime = realtimeEntry(
    { ch, evaluator, recomputeAll: recompute.recomputeAll, log },
    { debounceMs: opts.realtimeDebounceMs },
  );
  deps.ingest.pipeline.onStored((items, profileIds) => realtime.onStored(items, profileIds));
  recompute.start(opts.scheduleTickMs);

  const ofProfile = profileSegments({ ch, bus, index: deps.identity.profiles.documents.segments, log });
  // Profile views (REST, GraphQL, the console) list the profile's current segments.
  const { profiles } = deps.identity;
  const get = profiles.get;
  profiles.get = async (p, id) => {
    const view = await get(p, id);
    return { ...view, segments: await ofProfile.of(p.workspaceId, view.id) };
  };
  const lookup = profiles.lookup;
  profiles.lookup = async (p, identifier) => {
    const view = await lookup(p, identifier);
    return { ...view, segments: await ofProfile.of(p.workspaceId, view.id) };
  };
  // The same for the JSON text of stored views (which list no segments).
  const withSegmentsOf = async (p: Principal, r: ProfileJson | null): Promise<ProfileJson | null> => {
    if (!r) return null;
    const segments = await ofProfile.of(p.workspaceId, r.id);
    if (segments.length === 0) return r;
    const json = withSegments(r.json, segments);
    return json === null ? null : { id: r.id, json };
  };
  const getJson = profiles.getJson;
  profiles.getJson = async (p, id) => withSegmentsOf(p, await getJson(p, id));
  const lookupJson = profiles.lookupJson;
  profiles.lookupJson = async (p, identifier) => withSegmentsOf(p, await lookupJson(p, identifier));

  return {
    ...service,
    ...members,
    /** Membership changes, for activation. */
    bus,
    realtime,
    /** Enqueue recomputes; `tick()` runs the schedule once. */
    schedule: recompute,
    evaluator,
    membership,
    /** Segments of one profile now (profile views): batched, cached, dropped on changes. */
    profileSegments: ofProfile,
    /** Stops the schedule and waits for real-time evaluations in flight. */
    async close(): Promise<void> {
      await recompute.stop();
      await realtime.close();
      await ofProfile.close();
    },
  };
}

export type SegmentsService = ReturnType<typeof createSegments>;
