/** Users, memberships, sessions, invitations and sign-in failures in PostgreSQL. */
import { and, asc, eq, gt, isNull, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../storage/index.ts';
import { workspaces } from '../storage/postgres/schema.ts';
import { consoleSessions, invitations, loginFailures, memberships, users } from './schema.ts';

export interface SessionRecord {
  id: string;
  userId: string;
  workspaceId: string;
  role: string;
  lastSeenAt: Date;
  expiresAt: Date;
}

export function userRepository(db: Db) {
  return {
    async countUsers(): Promise<number> {
      const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
      return r.n;
    },

    async findByEmail(email: string) {
      const [r] = await db.select().from(users).where(eq(users.email, email));
      return r ?? null;
    },

    async getUser(id: string) {
      const [r] = await db.select().from(users).where(eq(users.id, id));
      return r ?? null;
    },

    async insertUser(row: typeof users.$inferInsert) {
      const [r] = await db.insert(users).values(row).returning();
      return r;
    },

    async setPassword(id: string, passwordHash: string): Promise<void> {
      await db.update(users).set({ passwordHash }).where(eq(users.id, id));
    },

    /** The user's workspaces with their role, oldest membership first. */
    async workspacesOf(userId: string) {
      return db
        .select({ id: workspaces.id, name: workspaces.name, role: memberships.role })
        .from(memberships)
        .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
        .where(eq(memberships.userId, userId))
        .orderBy(asc(memberships.createdAt), asc(workspaces.id));
    },

    async membership(userId: string, workspaceId: string) {
      const [r] = await db
        .select()
        .from(memberships)
        .where(and(eq(memberships.userId, userId), eq(memberships.workspaceId, workspaceId)));
      return r ?? null;
    },

    async addMembership(userId: string, workspaceId: string, role: string): Promise<void> {
      await db
        .insert(memberships)
        .values({ userId, workspaceId, role })
        .onConflictDoUpdate({ target: [memberships.userId, memberships.workspaceId], set: { role } });
    },

    async members(workspaceId: string) {
      return db
        .select({
          id: users.id,
          email: users.email,
          name: users.name,
          role: memberships.role,
          disabled: users.disabled,
          joinedAt: memberships.createdAt,
        })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(eq(memberships.workspaceId, workspaceId))
        .orderBy(asc(users.email));
    },

    /**
     * Changes (role) or removes (null) a membership unless that leaves the workspace without an
     * owner. The owners are locked for the check, so two concurrent demotions cannot both pass.
     * Returns 'missing', 'last_owner' or 'ok'.
     */
    async changeMembership(
      workspaceId: string,
      userId: string,
      role: string | null,
    ): Promise<'missing' | 'last_owner' | 'ok'> {
      return db.transaction(async (tx) => {
        const owners = await tx
          .select({ userId: memberships.userId })
          .from(memberships)
          .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, 'owner')))
          .for('update');
        const [current] = await tx
          .select()
          .from(memberships)
          .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
        if (!current) return 'missing';
        if (current.role === 'owner' && role !== 'owner' && owners.length <= 1) return 'last_owner';
        const where = and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId));
        if (role === null) {
          await tx.delete(memberships).where(where);
          await tx
            .delete(consoleSessions)
            .where(and(eq(consoleSessions.userId, userId), eq(consoleSessions.workspaceId, workspaceId)));
        } else await tx.update(memberships).set({ role }).where(where);
        return 'ok';
      });
    },

    // Sessions

    async insertSession(row: typeof consoleSessions.$inferInsert): Promise<void> {
      await db.insert(consoleSessions).values(row);
    },

    /** The session with the role its user holds in its workspace now (null: none, or no membership). */
    async findSession(id: string): Promise<SessionRecord | null> {
      const [r] = await db
        .select({
          id: consoleSessions.id,
          userId: consoleSessions.userId,
          workspaceId: consoleSessions.workspaceId,
          role: memberships.role,
          lastSeenAt: consoleSessions.lastSeenAt,
          expiresAt: consoleSessions.expiresAt,
        })
        .from(consoleSessions)
        .innerJoin(users, and(eq(users.id, consoleSessions.userId), eq(users.disabled, false)))
        .innerJoin(
          memberships,
          and(
            eq(memberships.userId, consoleSessions.userId),
            eq(memberships.workspaceId, consoleSessions.workspaceId),
          ),
        )
        .where(eq(consoleSessions.id, id));
      return r ?? null;
    },

    async touchSession(id: string, at: Date): Promise<void> {
      await db.update(consoleSessions).set({ lastSeenAt: at }).where(eq(consoleSessions.id, id));
    },

    async setSessionWorkspace(id: string, workspaceId: string): Promise<void> {
      await db.update(consoleSessions).set({ workspaceId }).where(eq(consoleSessions.id, id));
    },

    async deleteSession(id: string): Promise<void> {
      await db.delete(consoleSessions).where(eq(consoleSessions.id, id));
    },

    /** Deletes the user's sessions, except `keep`. */
    async deleteUserSessions(userId: string, keep: string | null = null): Promise<void> {
      await db
        .delete(consoleSessions)
        .where(
          keep === null
            ? eq(consoleSessions.userId, userId)
            : and(eq(consoleSessions.userId, userId), ne(consoleSessions.id, keep)),
        );
    },

    async deleteExpiredSessions(now: Date, idleBefore: Date): Promise<void> {
      await db
        .delete(consoleSessions)
        .where(sql`${consoleSessions.expiresAt} < ${now} or ${consoleSessions.lastSeenAt} < ${idleBefore}`);
    },

    // Invitations

    async insertInvitation(row: typeof invitations.$inferInsert) {
      const [r] = await db.insert(invitations).values(row).returning();
      return r;
    },

    async pendingInvitations(workspaceId: string, now: Date) {
      return db
        .select()
        .from(invitations)
        .where(
          and(
            eq(invitations.workspaceId, workspaceId),
            isNull(invitations.acceptedAt),
            gt(invitations.expiresAt, now),
          ),
        )
        .orderBy(asc(invitations.createdAt));
    },

    async findInvitation(tokenHash: string) {
      const [r] = await db.select().from(invitations).where(eq(invitations.tokenHash, tokenHash));
      return r ?? null;
    },

    /** Marks it accepted; false when someone accepted it meanwhile. */
    async acceptInvitation(id: string, at: Date): Promise<boolean> {
      const rows = await db
        .update(invitations)
        .set({ acceptedAt: at })
        .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt)))
        .returning({ id: invitations.id });
      return rows.length > 0;
    },

    async deleteInvitation(workspaceId: string, id: string): Promise<boolean> {
      const rows = await db
        .delete(invitations)
        .where(
          and(
            eq(invitations.workspaceId, workspaceId),
            eq(invitations.id, id),
            isNull(invitations.acceptedAt),
          ),
        )
        .returning({ id: invitations.id });
      return rows.length > 0;
    },

    // Sign-in failures

    async lockedUntil(email: string, now: Date): Promise<Date | null> {
      const [r] = await db
        .select({ lockedUntil: loginFailures.lockedUntil })
        .from(loginFailures)
        .where(and(eq(loginFailures.email, email), gt(loginFailures.lockedUntil, now)));
      return r?.lockedUntil ?? null;
    },

    /**
     * Counts a failure in a window of `windowMs`; the `max`-th failure of a window locks the
     * address for `lockMs`. One statement, so concurrent failures are all counted.
     */
    async recordFailure(email: string, now: Date, windowMs: number, max: number, lockMs: number) {
      const windowStart = new Date(now.getTime() - windowMs);
      const lockEnd = new Date(now.getTime() + lockMs);
      await db
        .insert(loginFailures)
        .values({ email, failures: 1, windowStartedAt: now, lockedUntil: max <= 1 ? lockEnd : null })
        .onConflictDoUpdate({
          target: loginFailures.email,
          set: {
            failures: sql`case when ${loginFailures.windowStartedAt} < ${windowStart} then 1 else ${loginFailures.failures} + 1 end`,
            windowStartedAt: sql`case when ${loginFailures.windowStartedAt} < ${windowStart} then ${now} else ${loginFailures.windowStartedAt} end`,
            lockedUntil: sql`case when ${loginFailures.windowStartedAt} >= ${windowStart} and ${loginFailures.failures} + 1 >= ${max} then ${lockEnd} else ${loginFailures.lockedUntil} end`,
          },
        });
    },

    async clearFailures(email: string): Promise<void> {
      await db.delete(loginFailures).where(eq(loginFailures.email, email));
    },

    async pruneFailures(before: Date): Promise<void> {
      await db
        .delete(loginFailures)
        .where(
          and(
            lt(loginFailures.windowStartedAt, before),
            sql`(${loginFailures.lockedUntil} is null or ${loginFailures.lockedUntil} < ${before})`,
          ),
        );
    },
  };
}

export type UserRepository = ReturnType<typeof userRepository>;
