import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../postgres/client.ts';
import { apiTokens, sources, workspaces } from '../postgres/schema.ts';

export interface WorkspaceRow {
  id: string;
  name: string;
  createdAt: Date;
}

export interface TokenRow {
  id: string;
  workspaceId: string;
  name: string;
  role: string;
  tokenPrefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface SourceRow {
  id: string;
  workspaceId: string;
  name: string;
  writeKey: string;
  createdAt: Date;
}

const tokenColumns = {
  id: apiTokens.id,
  workspaceId: apiTokens.workspaceId,
  name: apiTokens.name,
  role: apiTokens.role,
  tokenPrefix: apiTokens.tokenPrefix,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
};

const sourceColumns = {
  id: sources.id,
  workspaceId: sources.workspaceId,
  name: sources.name,
  writeKey: sources.writeKey,
  createdAt: sources.createdAt,
};

/** Workspaces, API tokens and sources: the tenancy tables. */
export function workspaceRepository(db: Db) {
  return {
    async first(): Promise<WorkspaceRow | null> {
      const rows = await db
        .select()
        .from(workspaces)
        .orderBy(asc(workspaces.createdAt), asc(workspaces.id))
        .limit(1);
      return rows[0] ?? null;
    },
    async get(id: string): Promise<WorkspaceRow | null> {
      const rows = await db.select().from(workspaces).where(eq(workspaces.id, id));
      return rows[0] ?? null;
    },
    async list(ids: readonly string[] | null): Promise<WorkspaceRow[]> {
      const q = db.select().from(workspaces);
      if (ids === null) return q.orderBy(asc(workspaces.createdAt));
      if (ids.length === 0) return [];
      return q.where(sql`${workspaces.id} in ${ids}`).orderBy(asc(workspaces.createdAt));
    },
    /** Creates a workspace and its owner token in one transaction. */
    async createWithOwnerToken(
      ws: { id: string; name: string },
      token: { id: string; name: string; tokenHash: string; tokenPrefix: string },
    ): Promise<WorkspaceRow> {
      return db.transaction(async (tx) => {
        const [row] = await tx.insert(workspaces).values(ws).returning();
        await tx.insert(apiTokens).values({ ...token, workspaceId: ws.id, role: 'owner' });
        return row;
      });
    },

    async insertToken(t: {
      id: string;
      workspaceId: string;
      name: string;
      role: string;
      tokenHash: string;
      tokenPrefix: string;
    }): Promise<TokenRow> {
      const [row] = await db.insert(apiTokens).values(t).returning(tokenColumns);
      return row;
    },
    async findTokenByHash(hash: string): Promise<TokenRow | null> {
      const rows = await db
        .select(tokenColumns)
        .from(apiTokens)
        .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt)));
      return rows[0] ?? null;
    },
    async listTokens(workspaceId: string, limit: number, after: string | null): Promise<TokenRow[]> {
      return db
        .select(tokenColumns)
        .from(apiTokens)
        .where(
          and(
            eq(apiTokens.workspaceId, workspaceId),
            isNull(apiTokens.revokedAt),
            after ? gt(apiTokens.id, after) : undefined,
          ),
        )
        .orderBy(asc(apiTokens.id))
        .limit(limit);
    },
    async revokeToken(workspaceId: string, id: string): Promise<boolean> {
      const rows = await db
        .update(apiTokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiTokens.workspaceId, workspaceId), eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id });
      return rows.length > 0;
    },
    async touchToken(id: string): Promise<void> {
      await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, id));
    },

    async insertSource(s: {
      id: string;
      workspaceId: string;
      name: string;
      writeKey: string;
    }): Promise<SourceRow> {
      const [row] = await db.insert(sources).values(s).returning(sourceColumns);
      return row;
    },
    async listSources(workspaceId: string, limit: number, after: string | null): Promise<SourceRow[]> {
      return db
        .select(sourceColumns)
        .from(sources)
        .where(
          and(
            eq(sources.workspaceId, workspaceId),
            isNull(sources.deletedAt),
            after ? gt(sources.id, after) : undefined,
          ),
        )
        .orderBy(asc(sources.id))
        .limit(limit);
    },
    async getSource(workspaceId: string, id: string): Promise<SourceRow | null> {
      const rows = await db
        .select(sourceColumns)
        .from(sources)
        .where(and(eq(sources.workspaceId, workspaceId), eq(sources.id, id), isNull(sources.deletedAt)));
      return rows[0] ?? null;
    },
    async findSourceByWriteKey(writeKey: string): Promise<SourceRow | null> {
      const rows = await db
        .select(sourceColumns)
        .from(sources)
        .where(and(eq(sources.writeKey, writeKey), isNull(sources.deletedAt)));
      return rows[0] ?? null;
    },
    async deleteSource(workspaceId: string, id: string): Promise<SourceRow | null> {
      const rows = await db
        .update(sources)
        .set({ deletedAt: new Date() })
        .where(and(eq(sources.workspaceId, workspaceId), eq(sources.id, id), isNull(sources.deletedAt)))
        .returning(sourceColumns);
      return rows[0] ?? null;
    },
  };
}

export type WorkspaceRepository = ReturnType<typeof workspaceRepository>;
