import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { UnauthorizedError } from '../core/errors.ts';
import type { SessionRecord, UserRepository } from './repository.ts';

/** The session cookie's name. */
export const SESSION_COOKIE = 'datapulse_session';
/** A session unused for this long ends. */
export const IDLE_MS = 12 * 3600_000;
/** A session ends this long after sign-in, however active. */
export const ABSOLUTE_MS = 30 * 24 * 3600_000;
/** How long a looked-up session is trusted without asking PostgreSQL again. */
const CACHE_TTL_MS = 1000;
/** `last_seen_at` is written at most this often per session. */
const TOUCH_EVERY_MS = 60_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The CSRF token of a session: derived from the cookie's secret, so nothing more is stored. */
export function csrfTokenOf(secret: string): string {
  return createHmac('sha256', secret).update('datapulse-csrf').digest('base64url');
}

export function csrfMatches(secret: string, header: unknown): boolean {
  if (typeof header !== 'string' || header === '') return false;
  const want = Buffer.from(csrfTokenOf(secret));
  const got = Buffer.from(header);
  return got.length === want.length && timingSafeEqual(got, want);
}

/** Console sessions: a random secret in an HTTP-only cookie, its SHA-256 in PostgreSQL. */
export function sessionStore(repo: UserRepository, now: () => number = Date.now) {
  const cache = new LRUCache<string, SessionRecord>({ max: 10_000, ttl: CACHE_TTL_MS });

  return {
    idOf: sha256,

    async create(userId: string, workspaceId: string, meta: { ip?: string; userAgent?: string }) {
      const secret = randomBytes(32).toString('base64url');
      const at = new Date(now());
      await repo.insertSession({
        id: sha256(secret),
        userId,
        workspaceId,
        createdAt: at,
        lastSeenAt: at,
        expiresAt: new Date(at.getTime() + ABSOLUTE_MS),
        ip: meta.ip ?? null,
        userAgent: meta.userAgent?.slice(0, 500) ?? null,
      });
      return { secret, csrfToken: csrfTokenOf(secret) };
    },

    /** The live session of a cookie secret, or 401. Ends idle and expired sessions. */
    async resolve(secret: string): Promise<SessionRecord> {
      const id = sha256(secret);
      const t = now();
      let s = cache.get(id) ?? null;
      if (!s) {
        s = await repo.findSession(id);
        if (!s) throw new UnauthorizedError('Your session has ended: sign in again');
        cache.set(id, s);
      }
      if (s.expiresAt.getTime() <= t || s.lastSeenAt.getTime() + IDLE_MS <= t) {
        cache.delete(id);
        await repo.deleteSession(id);
        throw new UnauthorizedError('Your session has expired: sign in again');
      }
      if (s.lastSeenAt.getTime() + TOUCH_EVERY_MS <= t) {
        s.lastSeenAt = new Date(t);
        await repo.touchSession(id, s.lastSeenAt);
      }
      return s;
    },

    async end(secret: string): Promise<void> {
      const id = sha256(secret);
      cache.delete(id);
      await repo.deleteSession(id);
    },

    /** Forget cached sessions of a user (after logout-all, role change, removal, password change). */
    forgetUser(userId: string): void {
      for (const [id, s] of cache.entries()) if (s.userId === userId) cache.delete(id);
    },

    forget(id: string): void {
      cache.delete(id);
    },

    async prune(): Promise<void> {
      const t = now();
      await repo.deleteExpiredSessions(new Date(t), new Date(t - IDLE_MS));
    },
  };
}

export type SessionStore = ReturnType<typeof sessionStore>;
