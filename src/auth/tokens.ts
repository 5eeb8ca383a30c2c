import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { invalid, NotFoundError, UnauthorizedError } from '../core/errors.ts';
import { newApiToken, newId } from '../core/ids.ts';
import { DEFAULT_LIMIT, decodeCursor, encodeCursor, type Page } from '../core/paging.ts';
import type { TokenRow, WorkspaceRepository } from '../storage/repositories/workspaces.ts';
import { assertCan, isRole, type Principal, ROLES, type Role } from './permissions.ts';

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export interface TokenView {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

function view(t: TokenRow): TokenView {
  return {
    id: t.id,
    name: t.name,
    role: t.role as Role,
    prefix: t.tokenPrefix,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt ? t.lastUsedAt.toISOString() : null,
  };
}

export function newTokenRecord(name: string, secret = newApiToken()) {
  return {
    secret,
    record: { id: newId('tok'), name, tokenHash: hashToken(secret), tokenPrefix: secret.slice(0, 8) },
  };
}

/**
 * How long a valid token is trusted without asking PostgreSQL again. A revocation evicts it at
 * once on the node that revoked it; other nodes of a cluster notice within this time.
 */
export const TOKEN_CACHE_TTL_MS = 10_000;

/** API tokens: stored hashed, shown once, revoked at once. */
export function tokenService(repo: WorkspaceRepository) {
  let firstWorkspaceId: string | null = null;
  const lastTouched = new Map<string, number>();
  // Every API call authenticates: valid tokens are cached by the Authorization header as sent
  // (no parsing or hashing on a hit; never unknown tokens, so random ones cannot fill the cache).
  // `revocations` keeps a lookup that raced a revoke out of it.
  const valid = new LRUCache<string, TokenRow>({ max: 10_000, ttl: TOKEN_CACHE_TTL_MS });
  let revocations = 0;

  async function findValid(header: string | undefined): Promise<TokenRow | null> {
    const hit = header === undefined ? undefined : valid.get(header);
    if (hit) return hit;
    const m = header?.match(/^Bearer\s+(\S+)\s*$/i);
    if (!header || !m) throw new UnauthorizedError('Missing Authorization: Bearer <API token>');
    const seen = revocations;
    const token = await repo.findTokenByHash(hashToken(m[1]));
    if (token && seen === revocations) valid.set(header, token);
    return token;
  }

  return {
    /** Resolves `Authorization: Bearer <token>` to a principal, or throws 401. */
    async authenticate(header: string | undefined): Promise<Principal> {
      const token = await findValid(header);
      if (!token) throw new UnauthorizedError('Invalid or revoked API token');
      if (firstWorkspaceId === null) firstWorkspaceId = (await repo.first())?.id ?? null;
      // Record use at most once a minute per token: keeps reads off the write path.
      const now = Date.now();
      if ((lastTouched.get(token.id) ?? 0) < now - 60_000) {
        lastTouched.set(token.id, now);
        void repo.touchToken(token.id).catch(() => undefined);
      }
      const role = isRole(token.role) ? token.role : 'viewer';
      return {
        workspaceId: token.workspaceId,
        role,
        tokenId: token.id,
        instanceOwner: role === 'owner' && token.workspaceId === firstWorkspaceId,
      };
    },

    async create(p: Principal, input: { name: string; role: string }) {
      assertCan(p, 'tokens:manage');
      if (!isRole(input.role)) throw invalid('/role', `must be one of ${ROLES.join(', ')}`);
      // Nobody hands out more power than they hold.
      if (input.role === 'owner' && p.role !== 'owner')
        throw invalid('/role', 'only an owner may create owner tokens');
      const { secret, record } = newTokenRecord(input.name);
      const row = await repo.insertToken({ ...record, workspaceId: p.workspaceId, role: input.role });
      return { ...view(row), token: secret };
    },

    async list(p: Principal, limit = DEFAULT_LIMIT, cursor?: string): Promise<Page<TokenView>> {
      assertCan(p, 'tokens:manage');
      const after = decodeCursor(cursor, 1);
      const rows = await repo.listTokens(p.workspaceId, limit + 1, after ? String(after[0]) : null);
      const data = rows.slice(0, limit).map(view);
      return { data, nextCursor: rows.length > limit ? encodeCursor([data[data.length - 1].id]) : null };
    },

    async revoke(p: Principal, id: string): Promise<void> {
      assertCan(p, 'tokens:manage');
      // Counted before and after: a lookup overlapping the UPDATE in any way is not cached.
      revocations++;
      const revoked = await repo.revokeToken(p.workspaceId, id);
      revocations++;
      for (const [header, t] of valid.entries()) if (t.id === id) valid.delete(header);
      if (!revoked) throw new NotFoundError('Token');
    },
  };
}

export type TokenService = ReturnType<typeof tokenService>;
