import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertCan, newTokenRecord, type Principal } from '../auth/index.ts';
import { ForbiddenError, invalid, NotFoundError } from '../core/errors.ts';
import { newId, newWriteKey } from '../core/ids.ts';
import { DEFAULT_LIMIT, decodeCursor, encodeCursor, type Page } from '../core/paging.ts';
import type { SourceRow, WorkspaceRepository } from '../storage/repositories/workspaces.ts';

export interface SourceView {
  id: string;
  name: string;
  writeKey: string;
  createdAt: string;
}

const sourceView = (s: SourceRow): SourceView => ({
  id: s.id,
  name: s.name,
  writeKey: s.writeKey,
  createdAt: s.createdAt.toISOString(),
});

function requireName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') throw invalid('/name', 'must be a non-empty string');
  if (name.length > 200) throw invalid('/name', 'must be at most 200 characters');
  return name.trim();
}

export interface ResolvedSource {
  sourceId: string;
  workspaceId: string;
  name: string;
}

/** Workspaces and sources (write keys). */
export function workspaceService(repo: WorkspaceRepository) {
  // Write keys are resolved on every collection request: cache them, and drop an entry the
  // moment its source is deleted (a deleted key answers 401 at once).
  const keyCache = new Map<string, { source: ResolvedSource | null; at: number }>();
  const KEY_TTL_MS = 5_000;

  return {
    /**
     * First start: a default workspace and its owner token. Returns the secret only when it was
     * generated now (the caller prints it once and writes it to the bootstrap file).
     */
    async bootstrap(opts: {
      token: string | null;
      dataDir: string;
    }): Promise<{ workspaceId: string; generatedToken: string | null }> {
      const existing = await repo.first();
      if (existing) return { workspaceId: existing.id, generatedToken: null };
      const { secret, record } = newTokenRecord('bootstrap', opts.token ?? undefined);
      const ws = await repo.createWithOwnerToken({ id: newId('ws'), name: 'Default' }, record);
      if (opts.token !== null) return { workspaceId: ws.id, generatedToken: null };
      mkdirSync(opts.dataDir, { recursive: true });
      const file = join(opts.dataDir, 'bootstrap-token');
      writeFileSync(file, `${secret}\n`, { mode: 0o600 });
      chmodSync(file, 0o600);
      return { workspaceId: ws.id, generatedToken: secret };
    },

    bootstrapTokenFile(dataDir: string): string | null {
      const file = join(dataDir, 'bootstrap-token');
      return existsSync(file) ? file : null;
    },

    async createWorkspace(p: Principal, input: { name: unknown }) {
      assertCan(p, 'workspaces:create');
      if (!p.instanceOwner)
        throw new ForbiddenError(
          "Only an owner token of the instance's first workspace may create workspaces",
        );
      const name = requireName(input.name);
      const { secret, record } = newTokenRecord('owner');
      const ws = await repo.createWithOwnerToken({ id: newId('ws'), name }, record);
      return { id: ws.id, name: ws.name, createdAt: ws.createdAt.toISOString(), token: secret };
    },

    async listWorkspaces(p: Principal) {
      assertCan(p, 'workspaces:read');
      const rows = await repo.list(p.instanceOwner ? null : [p.workspaceId]);
      return {
        data: rows.map((w) => ({ id: w.id, name: w.name, createdAt: w.createdAt.toISOString() })),
        nextCursor: null,
      };
    },

    async createSource(p: Principal, input: { name: unknown }): Promise<SourceView> {
      assertCan(p, 'sources:manage');
      const row = await repo.insertSource({
        id: newId('src'),
        workspaceId: p.workspaceId,
        name: requireName(input.name),
        writeKey: newWriteKey(),
      });
      keyCache.delete(row.writeKey);
      return sourceView(row);
    },

    async listSources(p: Principal, limit = DEFAULT_LIMIT, cursor?: string): Promise<Page<SourceView>> {
      assertCan(p, 'sources:read');
      const after = decodeCursor(cursor, 1);
      const rows = await repo.listSources(p.workspaceId, limit + 1, after ? String(after[0]) : null);
      const data = rows.slice(0, limit).map(sourceView);
      return { data, nextCursor: rows.length > limit ? encodeCursor([data[data.length - 1].id]) : null };
    },

    async getSource(p: Principal, id: string): Promise<SourceView> {
      assertCan(p, 'sources:read');
      const row = await repo.getSource(p.workspaceId, id);
      if (!row) throw new NotFoundError('Source');
      return sourceView(row);
    },

    async deleteSource(p: Principal, id: string): Promise<void> {
      assertCan(p, 'sources:manage');
      const row = await repo.deleteSource(p.workspaceId, id);
      if (!row) throw new NotFoundError('Source');
      keyCache.set(row.writeKey, { source: null, at: Date.now() });
    },

    /** Write key → source, cached; null for unknown or deleted keys. */
    async resolveWriteKey(writeKey: string): Promise<ResolvedSource | null> {
      const hit = keyCache.get(writeKey);
      if (hit && Date.now() - hit.at < KEY_TTL_MS) return hit.source;
      const row = await repo.findSourceByWriteKey(writeKey);
      const source = row ? { sourceId: row.id, workspaceId: row.workspaceId, name: row.name } : null;
      if (keyCache.size > 10_000) keyCache.clear();
      keyCache.set(writeKey, { source, at: Date.now() });
      return source;
    },
  };
}

export type WorkspaceService = ReturnType<typeof workspaceService>;
