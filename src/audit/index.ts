/**
 * The audit log service: `record` buffers entries and writes them in batches (every ~200 ms or
 * FLUSH_ROWS entries, in one multi-row statement, and on close), so auditing a hot read costs a
 * push into an array. There is no update or delete; the table's trigger rejects both anyway.
 */
import { and, desc, eq, gte, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { assertCan, type Principal } from '../auth/index.ts';
import { invalid } from '../core/errors.ts';
import { DEFAULT_LIMIT, decodeCursor, encodeCursor, type Page } from '../core/paging.ts';
import type { Db } from '../storage/index.ts';
import { type AuditRow, auditLog, type NewAuditRow } from './schema.ts';

export type ActorType = 'token' | 'user' | 'system';

export interface AuditEntry {
  workspaceId: string;
  actorType: ActorType;
  actorId: string | null;
  role?: string | null;
  ip?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  status: 'succeeded' | 'failed';
  httpStatus?: number | null;
  detail?: Record<string, unknown> | null;
  at?: Date;
}

export interface AuditView {
  id: string;
  at: string;
  actor: { type: string; id: string | null; role: string | null; ip: string | null };
  action: string;
  target: { type: string | null; id: string | null };
  before: unknown;
  after: unknown;
  status: string;
  httpStatus: number | null;
  detail: unknown;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

/** Who a principal is, for an entry. */
export function actorOf(p: Principal): Pick<AuditEntry, 'actorType' | 'actorId' | 'role' | 'ip'> {
  return p.userId
    ? { actorType: 'user', actorId: p.userId, role: p.role, ip: p.ip ?? null }
    : { actorType: 'token', actorId: p.tokenId, role: p.role, ip: p.ip ?? null };
}

const KEYS_SECRET = /pass(word)?|secret|token|write_?key|api_?key|authorization|cookie|csrf|credential/i;

/** A request body fit for the log: secrets replaced by `[redacted]`, long strings cut. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        KEYS_SECRET.test(k) ? '[redacted]' : redact(v, depth + 1),
      ]),
    );
  }
  if (typeof value === 'string' && value.length > 1000) return `${value.slice(0, 1000)}…`;
  return value;
}

function date(value: string | undefined, path: string): Date | null {
  if (value === undefined || value === '') return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw invalid(path, 'must be an ISO-8601 date-time');
  return d;
}

function view(r: AuditRow): AuditView {
  return {
    id: String(r.id),
    at: r.at.toISOString(),
    actor: { type: r.actorType, id: r.actorId, role: r.role, ip: r.ip },
    action: r.action,
    target: { type: r.targetType, id: r.targetId },
    before: r.before ?? null,
    after: r.after ?? null,
    status: r.status,
    httpStatus: r.httpStatus,
    detail: r.detail ?? null,
  };
}

/** A buffer this full is written at once. */
const FLUSH_ROWS = 500;
/**
 * Rows per statement. With the embedded PostgreSQL a statement holds the event loop: 500 rows
 * took 20–30 ms, the whole p95 budget of a profile read (bench profile-api); 100 take ~5 ms.
 */
const WRITE_ROWS = 100;
/** Profiles one coalesced entry lists at most; more start another entry. */
const MAX_TARGETS = 1_000;

/**
 * The reads of one caller within a flush window, kept as one entry (see recordBy): its row
 * (in the buffer), how many reads, and of which targets.
 */
interface Reads {
  row: NewAuditRow;
  count: number;
  targets: Set<string>;
}

/** One target: its id, and `detail.count` when read more than once. Several: `detail.targets`. */
function settle({ row, count, targets }: Reads): void {
  if (targets.size === 1) {
    row.targetId = targets.values().next().value;
    row.detail = count > 1 ? { count } : null;
  } else {
    row.targetId = null;
    row.detail = { count, targets: [...targets] };
  }
}

export function createAudit(deps: { db: Db; log: Logger; flushMs?: number }) {
  const { db, log } = deps;
  let buffer: NewAuditRow[] = [];
  /** Coalesced reads of the current flush window, by caller, action and target type. */
  let reads = new Map<string, Reads>();
  let writing: Promise<void> = Promise.resolve();
  let closed = false;

  /**
   * One statement per WRITE_ROWS rows, each column one array parameter (cheap to build and parse).
   * The embedded PostgreSQL runs on this thread: between statements, requests are served.
   */
  async function write(rows: NewAuditRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += WRITE_ROWS) {
      if (i > 0) await new Promise((r) => setImmediate(r));
      const chunk = rows.slice(i, i + WRITE_ROWS);
      const col = <T>(f: (r: NewAuditRow) => T) => sql.param(chunk.map(f));
      const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
      await db.execute(sql`insert into audit_log (workspace_id, at, actor_type, actor_id, role, ip, action,
          target_type, target_id, before, after, status, http_status, detail)
        select ws, at, actor_type, actor_id, role, ip, action, target_type, target_id,
          before::jsonb, after::jsonb, status, http_status, detail::jsonb
        from unnest(${col((r) => r.workspaceId)}::text[], ${col((r) => (r.at ?? new Date()).toISOString())}::timestamptz[],
          ${col((r) => r.actorType)}::text[], ${col((r) => r.actorId ?? null)}::text[], ${col((r) => r.role ?? null)}::text[],
          ${col((r) => r.ip ?? null)}::text[], ${col((r) => r.action)}::text[], ${col((r) => r.targetType ?? null)}::text[],
          ${col((r) => r.targetId ?? null)}::text[], ${col((r) => json(r.before))}::text[], ${col((r) => json(r.after))}::text[],
          ${col((r) => r.status)}::text[], ${col((r) => r.httpStatus ?? null)}::int[], ${col((r) => json(r.detail))}::text[])
          as u(ws, at, actor_type, actor_id, role, ip, action, target_type, target_id, before, after, status, http_status, detail)`);
    }
  }

  /** Writes what is buffered; entries recorded meanwhile wait for the next flush. */
  function flush(): Promise<void> {
    if (buffer.length === 0) return writing;
    for (const r of reads.values()) settle(r);
    const rows = buffer;
    buffer = [];
    reads = new Map();
    writing = writing
      .then(() => write(rows))
      .catch((err) => log.error({ err, entries: rows.length }, 'audit log write failed'));
    return writing;
  }

  const timer = setInterval(() => void flush(), deps.flushMs ?? 200);
  timer.unref();

  return {
    /** Buffers an entry; written within ~200 ms, and always before the stores close. */
    record(e: AuditEntry, opts: { coalesce?: boolean } = {}): void {
      const target = e.targetId;
      const key =
        opts.coalesce && typeof target === 'string' && !closed && e.detail == null && e.before === undefined
          ? JSON.stringify([
              e.workspaceId,
              e.actorType,
              e.actorId,
              e.role,
              e.ip,
              e.action,
              e.targetType,
              e.status,
            ])
          : null;
      const seen = key === null ? undefined : reads.get(key);
      if (seen && (seen.targets.size < MAX_TARGETS || seen.targets.has(target as string))) {
        seen.count++;
        seen.targets.add(target as string);
        return;
      }
      const row: NewAuditRow = {
        workspaceId: e.workspaceId,
        at: e.at ?? new Date(),
        actorType: e.actorType,
        actorId: e.actorId,
        role: e.role ?? null,
        ip: e.ip ?? null,
        action: e.action,
        targetType: e.targetType ?? null,
        targetId: e.targetId ?? null,
        before: e.before === undefined ? null : redact(e.before),
        after: e.after === undefined ? null : redact(e.after),
        status: e.status,
        httpStatus: e.httpStatus ?? null,
        detail: e.detail ? redact(e.detail) : null,
      };
      if (closed) {
        writing = writing.then(() => write([row])).catch((err) => log.error({ err }, 'audit write failed'));
        return;
      }
      buffer.push(row);
      if (key !== null) {
        if (seen) settle(seen);
        reads.set(key, { row, count: 1, targets: new Set([target as string]) });
      }
      if (buffer.length >= FLUSH_ROWS) void flush();
    },

    /**
     * Records an action a principal took in a service (`pii.read`). What the same caller does
     * within one flush window (~200 ms) becomes one entry: with `targetId` and `detail.count`
     * (when more than once) if it touched one target, else with `detail: { count, targets }`
     * (up to MAX_TARGETS ids). A row per read cost more than the read itself under load.
     */
    recordBy(p: Principal, e: Omit<AuditEntry, 'workspaceId' | 'actorType' | 'actorId'>): void {
      this.record({ workspaceId: p.workspaceId, ...actorOf(p), ...e }, { coalesce: true });
    },

    flush,

    /** Newest first; the cursor is the last entry's (at, id). */
    async list(p: Principal, q: AuditQuery): Promise<Page<AuditView>> {
      assertCan(p, 'audit:read');
      await flush();
      const limit = q.limit ?? DEFAULT_LIMIT;
      // Instance-level entries (failed sign-ins of unknown accounts) belong to the instance owner.
      const conds: (SQL | undefined)[] = [
        p.instanceOwner
          ? inArray(auditLog.workspaceId, [p.workspaceId, ''])
          : eq(auditLog.workspaceId, p.workspaceId),
      ];
      if (q.actor) conds.push(eq(auditLog.actorId, q.actor));
      if (q.action) {
        conds.push(
          q.action.endsWith('.*')
            ? gte(auditLog.action, q.action.slice(0, -1))
            : eq(auditLog.action, q.action),
        );
        if (q.action.endsWith('.*')) conds.push(lt(auditLog.action, `${q.action.slice(0, -2)}/`));
      }
      if (q.targetType) conds.push(eq(auditLog.targetType, q.targetType));
      // Coalesced entries list their targets in detail.targets (indexed: audit_log_targets_idx).
      if (q.targetId)
        conds.push(
          or(
            eq(auditLog.targetId, q.targetId),
            sql`${auditLog.detail} -> 'targets' @> ${JSON.stringify([q.targetId])}::jsonb`,
          ),
        );
      const from = date(q.from, '/from');
      const to = date(q.to, '/to');
      if (from) conds.push(gte(auditLog.at, from));
      if (to) conds.push(lt(auditLog.at, to));
      const after = decodeCursor(q.cursor, 2);
      if (after) {
        const at = new Date(String(after[0]));
        const id = Number(after[1]);
        if (Number.isNaN(at.getTime()) || !Number.isInteger(id)) throw invalid('/cursor', 'not a cursor');
        conds.push(or(lt(auditLog.at, at), and(eq(auditLog.at, at), lt(auditLog.id, id))));
      }
      const rows = await db
        .select()
        .from(auditLog)
        .where(and(...conds))
        .orderBy(desc(auditLog.at), desc(auditLog.id))
        .limit(limit + 1);
      const data = rows.slice(0, limit);
      const last = data[data.length - 1];
      return {
        data: data.map(view),
        nextCursor: rows.length > limit && last ? encodeCursor([last.at.toISOString(), last.id]) : null,
      };
    },

    /** Stops the timer and writes everything buffered (platform.onClose). */
    async close(): Promise<void> {
      clearInterval(timer);
      await flush();
      closed = true;
      await writing;
    },
  };
}

export type AuditService = ReturnType<typeof createAudit>;
