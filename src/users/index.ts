import type { Logger } from 'pino';
import type { Db } from '../storage/index.ts';
import type { WorkspaceRepository } from '../storage/repositories/workspaces.ts';
import { userRepository } from './repository.ts';
import { type UserService, userService } from './service.ts';
import { sessionStore } from './sessions.ts';

export { passwordProblem } from './password.ts';
export { adminFromConfig, type SessionView, type UserService } from './service.ts';
export { ABSOLUTE_MS, csrfMatches, csrfTokenOf, IDLE_MS, SESSION_COOKIE } from './sessions.ts';

/** Console users and sessions, wired on one database. */
export function createUsers(deps: { db: Db; workspaces: WorkspaceRepository; log: Logger }): UserService {
  const repo = userRepository(deps.db);
  return userService({ repo, sessions: sessionStore(repo), workspaces: deps.workspaces, log: deps.log });
}
