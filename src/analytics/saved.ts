/**
 * Saved reports and dashboards in PostgreSQL, scoped to the caller's workspace (another
 * workspace's ids answer 404). A saved report's spec is validated against its kind; a dashboard's
 * tiles must name saved reports of the same workspace; a report on a dashboard cannot be deleted.
 */
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { assertCan, type Principal } from '../auth/index.ts';
import { ConflictError, type ErrorDetail, NotFoundError, ValidationError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { DEFAULT_LIMIT, decodeCursor, encodeCursor, type Page } from '../core/paging.ts';
import { validateSpec } from '../core/reports/index.ts';
import type { Db } from '../storage/index.ts';
import type {
  Dashboard,
  DashboardInput,
  DashboardPatch,
  SavedReport,
  SavedReportInput,
  SavedReportPatch,
  Tile,
} from './contract.ts';
import { type DashboardRow, dashboards, type SavedReportRow, savedReports } from './schema.ts';

const reportView = (r: SavedReportRow): SavedReport => ({
  id: r.id,
  name: r.name,
  kind: r.kind as SavedReport['kind'],
  spec: r.spec as SavedReport['spec'],
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const dashboardView = (d: DashboardRow): Dashboard => ({
  id: d.id,
  name: d.name,
  tiles: d.tiles as Tile[],
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
});

/** Keyset page over ids (they sort by creation time), newest first. */
function pageOf<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null };
}

function beforeId(cursor: string | undefined): string | null {
  const c = decodeCursor(cursor, 1);
  return c ? String(c[0]) : null;
}

export function savedReportService(db: Db) {
  const report = (ws: string, id: string) => and(eq(savedReports.workspaceId, ws), eq(savedReports.id, id));
  const board = (ws: string, id: string) => and(eq(dashboards.workspaceId, ws), eq(dashboards.id, id));

  async function getReport(p: Principal, id: string): Promise<SavedReportRow> {
    const [row] = await db.select().from(savedReports).where(report(p.workspaceId, id));
    if (!row) throw new NotFoundError(`Saved report ${id}`);
    return row;
  }

  async function getBoard(p: Principal, id: string): Promise<DashboardRow> {
    const [row] = await db.select().from(dashboards).where(board(p.workspaceId, id));
    if (!row) throw new NotFoundError(`Dashboard ${id}`);
    return row;
  }

  /** Every tile must name a saved report of the workspace. */
  async function checkTiles(p: Principal, tiles: readonly Tile[]): Promise<void> {
    const ids = [...new Set(tiles.map((t) => t.reportId))];
    if (ids.length === 0) return;
    const found = await db
      .select({ id: savedReports.id })
      .from(savedReports)
      .where(and(eq(savedReports.workspaceId, p.workspaceId), inArray(savedReports.id, ids)));
    const known = new Set(found.map((r) => r.id));
    const details: ErrorDetail[] = tiles.flatMap((t, i) =>
      known.has(t.reportId)
        ? []
        : [{ path: `/tiles/${i}/reportId`, message: `no saved report ${t.reportId}` }],
    );
    if (details.length)
      throw new ValidationError(`Unknown saved reports: ${details.map((d) => d.path).join(', ')}`, details);
  }

  return {
    reports: {
      async create(p: Principal, input: SavedReportInput): Promise<SavedReport> {
        assertCan(p, 'reports:write');
        validateSpec(input.kind, input.spec, '/spec');
        const [row] = await db
          .insert(savedReports)
          .values({
            id: newId('rep'),
            workspaceId: p.workspaceId,
            name: input.name.trim() || input.name,
            kind: input.kind,
            spec: input.spec,
            createdBy: p.tokenId,
          })
          .returning();
        return reportView(row);
      },

      async get(p: Principal, id: string): Promise<SavedReport> {
        assertCan(p, 'reports:read');
        return reportView(await getReport(p, id));
      },

      async list(p: Principal, limit = DEFAULT_LIMIT, cursor?: string): Promise<Page<SavedReport>> {
        assertCan(p, 'reports:read');
        const before = beforeId(cursor);
        const where = [eq(savedReports.workspaceId, p.workspaceId)];
        if (before) where.push(lt(savedReports.id, before));
        const rows = await db
          .select()
          .from(savedReports)
          .where(and(...where))
          .orderBy(desc(savedReports.id))
          .limit(limit + 1);
        return pageOf(rows.map(reportView), limit);
      },

      /** Changes name, kind and/or spec; the resulting spec must fit the resulting kind. */
      async update(p: Principal, id: string, patch: SavedReportPatch): Promise<SavedReport> {
        assertCan(p, 'reports:write');
        const current = await getReport(p, id);
        const kind = patch.kind ?? (current.kind as SavedReport['kind']);
        const spec = patch.spec ?? current.spec;
        if (patch.kind !== undefined || patch.spec !== undefined) validateSpec(kind, spec, '/spec');
        const [row] = await db
          .update(savedReports)
          .set({ name: patch.name ?? current.name, kind, spec, updatedAt: new Date() })
          .where(report(p.workspaceId, id))
          .returning();
        if (!row) throw new NotFoundError(`Saved report ${id}`);
        return reportView(row);
      },

      async remove(p: Principal, id: string): Promise<void> {
        assertCan(p, 'reports:write');
        await getReport(p, id);
        const using = await db
          .select({ id: dashboards.id, name: dashboards.name })
          .from(dashboards)
          .where(
            and(
              eq(dashboards.workspaceId, p.workspaceId),
              sql`${dashboards.tiles} @> ${JSON.stringify([{ reportId: id }])}::jsonb`,
            ),
          );
        if (using.length) {
          throw new ConflictError(
            `Saved report ${id} is on dashboards ${using.map((d) => `${d.id} (${d.name})`).join(', ')}: remove its tiles first`,
          );
        }
        await db.delete(savedReports).where(report(p.workspaceId, id));
      },
    },

    dashboards: {
      async create(p: Principal, input: DashboardInput): Promise<Dashboard> {
        assertCan(p, 'reports:write');
        await checkTiles(p, input.tiles);
        const [row] = await db
          .insert(dashboards)
          .values({
            id: newId('dsh'),
            workspaceId: p.workspaceId,
            name: input.name.trim() || input.name,
            tiles: input.tiles,
            createdBy: p.tokenId,
          })
          .returning();
        return dashboardView(row);
      },

      async get(p: Principal, id: string): Promise<Dashboard> {
        assertCan(p, 'reports:read');
        return dashboardView(await getBoard(p, id));
      },

      async list(p: Principal, limit = DEFAULT_LIMIT, cursor?: string): Promise<Page<Dashboard>> {
        assertCan(p, 'reports:read');
        const before = beforeId(cursor);
        const where = [eq(dashboards.workspaceId, p.workspaceId)];
        if (before) where.push(lt(dashboards.id, before));
        const rows = await db
          .select()
          .from(dashboards)
          .where(and(...where))
          .orderBy(desc(dashboards.id))
          .limit(limit + 1);
        return pageOf(rows.map(dashboardView), limit);
      },

      async update(p: Principal, id: string, patch: DashboardPatch): Promise<Dashboard> {
        assertCan(p, 'reports:write');
        const current = await getBoard(p, id);
        if (patch.tiles) await checkTiles(p, patch.tiles);
        const [row] = await db
          .update(dashboards)
          .set({
            name: patch.name ?? current.name,
            tiles: patch.tiles ?? current.tiles,
            updatedAt: new Date(),
          })
          .where(board(p.workspaceId, id))
          .returning();
        if (!row) throw new NotFoundError(`Dashboard ${id}`);
        return dashboardView(row);
      },

      async remove(p: Principal, id: string): Promise<void> {
        assertCan(p, 'reports:write');
        await getBoard(p, id);
        await db.delete(dashboards).where(board(p.workspaceId, id));
      },
    },
  };
}

export type SavedReportService = ReturnType<typeof savedReportService>;
