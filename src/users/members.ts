import { createHash, randomBytes } from 'node:crypto';
import { assertCan, isRole, type Principal, ROLES, type Role } from '../auth/index.ts';
import { ConflictError, invalid, NotFoundError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { assertEmail, assertPasswordPolicy, hashPassword } from './password.ts';
import type { UserRepository } from './repository.ts';
import type { SessionStore } from './sessions.ts';

/** An invitation link works this long. */
export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const asRole = (r: string): Role => (isRole(r) ? r : 'viewer');

function invitationView(r: { id: string; email: string; role: string; expiresAt: Date; createdAt: Date }) {
  return {
    id: r.id,
    email: r.email,
    role: asRole(r.role),
    expiresAt: r.expiresAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
  };
}

/** Workspace members: the list, invitations, role changes and removal (permission users:manage). */
export function memberService(deps: {
  repo: UserRepository;
  sessions: SessionStore;
  /** The sign-in password check, lockout included. */
  checkPassword(email: string, password: string, hash: string | null): Promise<boolean>;
  now: () => number;
}) {
  const { repo, sessions, checkPassword, now } = deps;
  return {
    async listMembers(p: Principal) {
      assertCan(p, 'users:manage');
      const rows = await repo.members(p.workspaceId);
      return {
        data: rows.map((r) => ({
          id: r.id,
          email: r.email,
          name: r.name,
          role: asRole(r.role),
          disabled: r.disabled,
          joinedAt: r.joinedAt.toISOString(),
        })),
        nextCursor: null,
      };
    },

    async invite(p: Principal, input: { email: string; role: string }) {
      assertCan(p, 'users:manage');
      const email = assertEmail(input.email);
      if (!isRole(input.role)) throw invalid('/role', `must be one of ${ROLES.join(', ')}`);
      if (input.role === 'owner' && p.role !== 'owner')
        throw invalid('/role', 'only an owner may grant the owner role');
      const existing = await repo.findByEmail(email);
      if (existing && (await repo.membership(existing.id, p.workspaceId)))
        throw new ConflictError('This person is already a member of the workspace');
      const token = `inv_${randomBytes(32).toString('base64url')}`;
      const row = await repo.insertInvitation({
        id: newId('inv'),
        workspaceId: p.workspaceId,
        email,
        role: input.role,
        tokenHash: sha256(token),
        expiresAt: new Date(now() + INVITATION_TTL_MS),
        invitedBy: p.userId ?? p.tokenId,
      });
      return { ...invitationView(row), token, path: `/accept-invitation?token=${encodeURIComponent(token)}` };
    },

    async listInvitations(p: Principal) {
      assertCan(p, 'users:manage');
      const rows = await repo.pendingInvitations(p.workspaceId, new Date(now()));
      return { data: rows.map(invitationView), nextCursor: null };
    },

    async revokeInvitation(p: Principal, id: string): Promise<void> {
      assertCan(p, 'users:manage');
      if (!(await repo.deleteInvitation(p.workspaceId, id))) throw new NotFoundError('Invitation');
    },

    /**
     * Accepts an invitation: a new account with this password, or, when the address already has
     * one, that account's password. Then the membership; the person signs in as usual.
     */
    async acceptInvitation(input: { token: string; name?: string; password: string }) {
      const inv = await repo.findInvitation(sha256(input.token));
      const at = new Date(now());
      if (!inv || inv.acceptedAt || inv.expiresAt <= at)
        throw invalid('/token', 'this invitation is unknown, used or expired: ask for a new one');
      let user = await repo.findByEmail(inv.email);
      if (user) {
        if (!(await checkPassword(inv.email, input.password, user.passwordHash)))
          throw invalid('/password', 'an account with this e-mail exists: enter its password');
      } else {
        const name = (input.name ?? '').trim();
        if (!name) throw invalid('/name', 'must be a non-empty string');
        assertPasswordPolicy(input.password, '/password', inv.email);
        user = await repo.insertUser({
          id: newId('usr'),
          email: inv.email,
          name,
          passwordHash: await hashPassword(input.password),
        });
      }
      if (!(await repo.acceptInvitation(inv.id, at)))
        throw invalid('/token', 'this invitation is unknown, used or expired: ask for a new one');
      await repo.addMembership(user.id, inv.workspaceId, inv.role);
      return { email: user.email, workspaceId: inv.workspaceId, role: asRole(inv.role) };
    },

    async setRole(p: Principal, userId: string, role: string) {
      assertCan(p, 'users:manage');
      if (!isRole(role)) throw invalid('/role', `must be one of ${ROLES.join(', ')}`);
      const current = await repo.membership(userId, p.workspaceId);
      if (!current) throw new NotFoundError('User');
      if (p.role !== 'owner' && (role === 'owner' || current.role === 'owner'))
        throw invalid('/role', 'only an owner may grant or take away the owner role');
      const outcome = await repo.changeMembership(p.workspaceId, userId, role);
      if (outcome === 'missing') throw new NotFoundError('User');
      if (outcome === 'last_owner') throw invalid('/role', 'the last owner of a workspace cannot be demoted');
      sessions.forgetUser(userId);
      const user = await repo.getUser(userId);
      return {
        id: userId,
        email: user?.email ?? '',
        name: user?.name ?? '',
        role: role as Role,
        /** For the audit log's before/after (not part of the response). */
        previousRole: current.role,
      };
    },

    /** Removes a member from the workspace and ends their sessions in it. */
    async removeMember(p: Principal, userId: string): Promise<void> {
      assertCan(p, 'users:manage');
      const current = await repo.membership(userId, p.workspaceId);
      if (!current) throw new NotFoundError('User');
      if (p.role !== 'owner' && current.role === 'owner')
        throw invalid('/id', 'only an owner may remove an owner');
      const outcome = await repo.changeMembership(p.workspaceId, userId, null);
      if (outcome === 'missing') throw new NotFoundError('User');
      if (outcome === 'last_owner') throw invalid('/id', 'the last owner of a workspace cannot be removed');
      sessions.forgetUser(userId);
    },
  };
}
