import type { Logger } from 'pino';
import { validateIdentitySettings } from '../core/identity/index.ts';
import type { JobRunner } from '../jobs/index.ts';
import type { ClickHouse, Db } from '../storage/index.ts';
import { workspaces } from '../storage/postgres/schema.ts';
import { identityAdminRepository, identityRepository } from '../storage/repositories/identity.ts';
import { identityMatchRepository } from '../storage/repositories/identity-match.ts';
import { candidateService } from './candidates.ts';
import { pairMerger } from './match-merge.ts';
import { identityMatching } from './probabilistic.ts';
import { openProfileDocs } from './profile-docs.ts';
import { profileService } from './profiles.ts';
import { profileReplica } from './replica.ts';
import { IdentityResolver } from './resolver.ts';
import { identitySimulator } from './simulate.ts';

export type { CandidateView } from './candidates.ts';
export { MATCH_JOB, type MatchRunResult } from './probabilistic.ts';
export { withSegments } from './profile-json.ts';
export type { ProfileJson } from './profile-reads.ts';
export type { ProfileView } from './profiles.ts';
export { eventTraits, IdentityResolver } from './resolver.ts';
export type { SimulateReport, SimulateRequest } from './simulate.ts';

/**
 * Identity resolution (the ingestion stage), the profile API, probabilistic matching (the
 * `identity.match` job, its review queue) and the rule simulator.
 */
export function createIdentity(deps: {
  db: Db;
  ch: ClickHouse;
  jobs: JobRunner;
  log: Logger;
  /** Where the node-local profile documents live; null keeps reads on PostgreSQL (cluster mode). */
  docsDir?: string | null;
}) {
  const repo = identityRepository(deps.db);
  const replica = profileReplica(deps.ch);
  const resolver = new IdentityResolver(repo, replica, deps.log);
  const admin = identityAdminRepository(deps.db);
  const matchRepo = identityMatchRepository(deps.db);
  const merger = pairMerger({ repo, matchRepo, resolver, replica });
  const docs = deps.docsDir ? openProfileDocs(deps.docsDir, deps.log) : null;
  const profiles = profileService({ repo, admin, ch: deps.ch, resolver, replica, log: deps.log, docs });
  if (docs) {
    // Build what is missing in the background; reads fall back to PostgreSQL until then.
    void deps.db
      .select({ id: workspaces.id })
      .from(workspaces)
      .then((rows) => profiles.documents.backfill(rows.map((r) => r.id)))
      .catch((err) => deps.log.error({ err }, 'listing workspaces for profile documents failed'));
  }
  return {
    resolver,
    repo,
    replica,
    profiles,
    /** The matching job and its daily schedule (`start`/`stop`). */
    matching: identityMatching({
      matchRepo,
      merger,
      resolver,
      jobs: deps.jobs,
      countLive: (ws) => admin.countLive(ws),
      storedSettings: async (ws) => validateIdentitySettings(await repo.settings(ws)),
      log: deps.log,
    }),
    candidates: candidateService({ matchRepo, merger, resolver, views: profiles.views }),
    simulator: identitySimulator({ ch: deps.ch, resolver }),
  };
}

export type IdentityService = ReturnType<typeof createIdentity>;
