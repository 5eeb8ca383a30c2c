import type { Logger } from 'pino';
import type { ClickHouse, Db } from '../storage/index.ts';
import { identityAdminRepository, identityRepository } from '../storage/repositories/identity.ts';
import { profileService } from './profiles.ts';
import { profileReplica } from './replica.ts';
import { IdentityResolver } from './resolver.ts';

export type { ProfileView } from './profiles.ts';
export { eventTraits, IdentityResolver } from './resolver.ts';

/** Identity resolution (the ingestion stage) and the profile API. */
export function createIdentity(deps: { db: Db; ch: ClickHouse; log: Logger }) {
  const repo = identityRepository(deps.db);
  const replica = profileReplica(deps.ch);
  const resolver = new IdentityResolver(repo, replica, deps.log);
  const admin = identityAdminRepository(deps.db);
  return {
    resolver,
    repo,
    replica,
    profiles: profileService({ repo, admin, ch: deps.ch, resolver, replica, log: deps.log }),
  };
}

export type IdentityService = ReturnType<typeof createIdentity>;
