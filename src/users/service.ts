import type { Logger } from 'pino';
import { isRole, type Principal, type Role } from '../auth/index.ts';
import { ConfigError } from '../config/index.ts';
import { invalid, LockedError, NotFoundError, UnauthorizedError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { WorkspaceRepository } from '../storage/repositories/workspaces.ts';
import { memberService } from './members.ts';
import {
  assertEmail,
  assertPasswordPolicy,
  hashPassword,
  normaliseEmail,
  passwordProblem,
  verifyPassword,
} from './password.ts';
import type { UserRepository } from './repository.ts';
import type { SessionStore } from './sessions.ts';

/** Sign-in lockout: this many failures per e-mail address within the window lock it for LOCK_MS. */
export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 15 * 60_000;

export interface SessionView {
  user: { id: string; email: string; name: string };
  workspace: { id: string; name: string };
  role: Role;
  csrfToken: string;
  workspaces: { id: string; name: string; role: Role }[];
}

const asRole = (r: string): Role => (isRole(r) ? r : 'viewer');

function requireUser(p: Principal): string {
  if (!p.userId)
    throw new UnauthorizedError('This needs a console session: sign in with e-mail and password');
  return p.userId;
}

/** Console users: sign-in, sessions, invitations and workspace members. */
export function userService(deps: {
  repo: UserRepository;
  sessions: SessionStore;
  workspaces: WorkspaceRepository;
  log: Logger;
  now?: () => number;
}) {
  const { repo, sessions, log } = deps;
  const now = deps.now ?? Date.now;
  let firstWorkspace: string | null = null;

  async function view(userId: string, workspaceId: string, csrfToken: string): Promise<SessionView> {
    const user = await repo.getUser(userId);
    if (!user) throw new UnauthorizedError();
    const list = await repo.workspacesOf(userId);
    const current = list.find((w) => w.id === workspaceId);
    if (!current) throw new UnauthorizedError();
    return {
      user: { id: user.id, email: user.email, name: user.name },
      workspace: { id: current.id, name: current.name },
      role: asRole(current.role),
      csrfToken,
      workspaces: list.map((w) => ({ id: w.id, name: w.name, role: asRole(w.role) })),
    };
  }

  /** Verifies a password with the lockout applied; counts a failure for known and unknown addresses. */
  async function checkPassword(email: string, password: string, hashOf: string | null): Promise<boolean> {
    const at = new Date(now());
    const locked = await repo.lockedUntil(email, at);
    if (locked) throw new LockedError(Math.max(1, Math.ceil((locked.getTime() - at.getTime()) / 1000)));
    const ok = await verifyPassword(hashOf, password);
    if (ok) await repo.clearFailures(email);
    else await repo.recordFailure(email, at, FAILURE_WINDOW_MS, MAX_FAILURES, LOCK_MS);
    return ok;
  }

  return {
    /**
     * First start: DATAPULSE_ADMIN_EMAIL / DATAPULSE_ADMIN_PASSWORD become the owner of the first
     * workspace when there is no user yet. A weak password or half the pair is a ConfigError.
     */
    async bootstrapOwner(cfg: { adminEmail: string | null; adminPassword: string | null }) {
      const admin = adminFromConfig(cfg);
      if (!admin) return { created: false };
      const { email, password } = admin;
      if ((await repo.countUsers()) > 0) return { created: false };
      const ws = await deps.workspaces.first();
      if (!ws) throw new Error('no workspace to own: bootstrap the default workspace first');
      const user = await repo.insertUser({
        id: newId('usr'),
        email,
        name: email.split('@')[0],
        passwordHash: await hashPassword(password),
      });
      await repo.addMembership(user.id, ws.id, 'owner');
      log.info({ userId: user.id, workspaceId: ws.id }, 'first console user created from the environment');
      return { created: true };
    },

    async login(
      input: { email: string; password: string; workspaceId?: string },
      meta: { ip?: string; userAgent?: string },
    ): Promise<{ secret: string; view: SessionView }> {
      const email = normaliseEmail(input.email);
      const user = email ? await repo.findByEmail(email) : null;
      const usable = user && !user.disabled ? user : null;
      if (!(await checkPassword(email, input.password, usable?.passwordHash ?? null)) || !usable)
        throw new UnauthorizedError('Wrong e-mail or password');
      const list = await repo.workspacesOf(usable.id);
      if (list.length === 0) throw new UnauthorizedError('This account is not a member of any workspace');
      let workspaceId = list[0].id;
      if (input.workspaceId !== undefined) {
        if (!list.some((w) => w.id === input.workspaceId))
          throw invalid('/workspaceId', 'you are not a member of this workspace');
        workspaceId = input.workspaceId;
      }
      const { secret, csrfToken } = await sessions.create(usable.id, workspaceId, meta);
      // Housekeeping off the answer's path: ended sessions, stale failure counts.
      void sessions.prune().catch(() => undefined);
      void repo.pruneFailures(new Date(now() - FAILURE_WINDOW_MS - LOCK_MS)).catch(() => undefined);
      return { secret, view: await view(usable.id, workspaceId, csrfToken) };
    },

    /** The session of a cookie secret as the caller's identity (401 when ended). */
    async resolveSession(secret: string) {
      const s = await sessions.resolve(secret);
      firstWorkspace ??= (await deps.workspaces.first())?.id ?? null;
      const role = asRole(s.role);
      return {
        userId: s.userId,
        workspaceId: s.workspaceId,
        role,
        instanceOwner: role === 'owner' && s.workspaceId === firstWorkspace,
      };
    },

    async me(p: Principal, csrfToken: string): Promise<SessionView> {
      return view(requireUser(p), p.workspaceId, csrfToken);
    },

    async logout(secret: string | undefined): Promise<void> {
      if (secret) await sessions.end(secret);
    },

    /** Sign out everywhere: every session of the user ends. */
    async logoutAll(p: Principal): Promise<void> {
      const userId = requireUser(p);
      await repo.deleteUserSessions(userId);
      sessions.forgetUser(userId);
    },

    async switchWorkspace(p: Principal, secret: string, workspaceId: string, csrfToken: string) {
      const userId = requireUser(p);
      if (!(await repo.membership(userId, workspaceId))) throw new NotFoundError('Workspace');
      const id = sessions.idOf(secret);
      await repo.setSessionWorkspace(id, workspaceId);
      sessions.forget(id);
      return view(userId, workspaceId, csrfToken);
    },

    /** Changes the password; every other session of the user ends. */
    async changePassword(
      p: Principal,
      secret: string,
      input: { currentPassword: string; newPassword: string },
    ) {
      const user = await repo.getUser(requireUser(p));
      if (!user) throw new UnauthorizedError();
      if (!(await checkPassword(user.email, input.currentPassword, user.passwordHash)))
        throw invalid('/currentPassword', 'is not your current password');
      assertPasswordPolicy(input.newPassword, '/newPassword', user.email);
      await repo.setPassword(user.id, await hashPassword(input.newPassword));
      await repo.deleteUserSessions(user.id, sessions.idOf(secret));
      sessions.forgetUser(user.id);
    },

    ...memberService({ repo, sessions, checkPassword, now }),
  };
}

/**
 * DATAPULSE_ADMIN_EMAIL / DATAPULSE_ADMIN_PASSWORD checked: null when unset, else the normalised
 * pair; a half-set pair, a bad address or a weak password is a ConfigError naming the variable.
 */
export function adminFromConfig(cfg: {
  adminEmail: string | null;
  adminPassword: string | null;
}): { email: string; password: string } | null {
  const { adminEmail, adminPassword } = cfg;
  if (adminEmail === null && adminPassword === null) return null;
  if (adminEmail === null)
    throw new ConfigError('DATAPULSE_ADMIN_EMAIL', 'required with DATAPULSE_ADMIN_PASSWORD');
  if (adminPassword === null)
    throw new ConfigError('DATAPULSE_ADMIN_PASSWORD', 'required with DATAPULSE_ADMIN_EMAIL');
  let email: string;
  try {
    email = assertEmail(adminEmail);
  } catch {
    throw new ConfigError('DATAPULSE_ADMIN_EMAIL', 'not an e-mail address');
  }
  const problem = passwordProblem(adminPassword, email);
  if (problem) throw new ConfigError('DATAPULSE_ADMIN_PASSWORD', `too weak: ${problem}`);
  return { email, password: adminPassword };
}

export type UserService = ReturnType<typeof userService>;
