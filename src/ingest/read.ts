import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { assertCan, type Principal } from '../auth/index.ts';
import { invalid } from '../core/errors.ts';
import { DEFAULT_LIMIT, decodeCursor, encodeCursor, type Page } from '../core/paging.ts';
import { join, param, raw, type SqlFragment, sql } from '../core/sql.ts';
import { type ClickHouse, chTime } from '../storage/index.ts';

export interface EventFilter {
  userId?: string;
  anonymousId?: string;
  profileId?: string;
  messageId?: string;
  type?: string;
  event?: string;
  from?: string;
  to?: string;
}

export interface EventView {
  messageId: string;
  type: string;
  event: string;
  userId: string | null;
  anonymousId: string | null;
  profileId: string;
  properties: Record<string, unknown>;
  traits: Record<string, unknown>;
  context: Record<string, unknown>;
  timestamp: string;
  receivedAt: string;
}

interface Row {
  message_id: string;
  type: string;
  event: string;
  user_id: string;
  anonymous_id: string;
  profile_id: string;
  properties: string;
  traits: string;
  context: string;
  ts: string;
  received_at: string;
}

const toIso = (chTimeText: string) => `${chTimeText.replace(' ', 'T')}Z`;

function view(r: Row): EventView {
  return {
    messageId: r.message_id,
    type: r.type,
    event: r.event,
    userId: r.user_id || null,
    anonymousId: r.anonymous_id || null,
    profileId: r.profile_id,
    properties: JSON.parse(r.properties || '{}'),
    traits: JSON.parse(r.traits || '{}'),
    context: JSON.parse(r.context || '{}'),
    timestamp: toIso(r.ts),
    receivedAt: toIso(r.received_at),
  };
}

function time(value: string | undefined, path: string): Date | null {
  if (value === undefined || value === '') return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw invalid(path, 'must be an ISO-8601 date-time');
  return d;
}

/**
 * The events of a workspace with each event's CURRENT profile: events of merged-away profiles
 * report the survivor through profile_aliases, joined at read time.
 */
export function currentProfileEvents(workspaceId: string): SqlFragment {
  return sql`(
    SELECT e.*, if(a.survivor_id != '', a.survivor_id, e.profile_id) AS current_profile_id
    FROM events AS e
    LEFT JOIN (
      SELECT profile_id, argMax(survivor_id, version) AS survivor_id
      FROM profile_aliases WHERE workspace_id = ${param(workspaceId, 'String')} GROUP BY profile_id
    ) AS a ON a.profile_id = e.profile_id
    WHERE e.workspace_id = ${param(workspaceId, 'String')}
  )`;
}

function where(f: EventFilter): SqlFragment[] {
  const conds: SqlFragment[] = [];
  const eq = (col: string, v: string | undefined) => {
    if (v !== undefined && v !== '') conds.push(sql`${raw(col)} = ${param(v, 'String')}`);
  };
  eq('user_id', f.userId);
  eq('anonymous_id', f.anonymousId);
  eq('current_profile_id', f.profileId);
  eq('message_id', f.messageId);
  eq('type', f.type);
  eq('event', f.event);
  const from = time(f.from, '/from');
  const to = time(f.to, '/to');
  if (from) conds.push(sql`timestamp >= ${param(chTime(from), 'DateTime64(3)')}`);
  if (to) conds.push(sql`timestamp < ${param(chTime(to), 'DateTime64(3)')}`);
  return conds;
}

const COLUMNS = raw(
  'message_id, type, event, user_id, anonymous_id, current_profile_id AS profile_id, properties, traits, context, toString(timestamp) AS ts, toString(received_at) AS received_at',
);

export function eventReader(ch: ClickHouse) {
  async function page(
    workspaceId: string,
    f: EventFilter,
    limit: number,
    after: (string | number)[] | null,
    order: 'asc' | 'desc',
  ): Promise<Row[]> {
    const conds = where(f);
    if (after) {
      const cmp = raw(order === 'desc' ? '<' : '>');
      conds.push(
        sql`(timestamp, message_id) ${cmp} (${param(String(after[0]), 'DateTime64(3)')}, ${param(String(after[1]), 'String')})`,
      );
    }
    const dir = raw(order === 'desc' ? 'DESC' : 'ASC');
    return ch.query<Row>(
      sql`SELECT ${COLUMNS} FROM ${currentProfileEvents(workspaceId)}
          ${conds.length ? sql`WHERE ${join(conds, ' AND ')}` : raw('')}
          ORDER BY timestamp ${dir}, message_id ${dir} LIMIT ${param(limit, 'UInt32')}`,
      'events-list',
    );
  }

  return {
    /** Newest first, paged by an opaque (timestamp, messageId) cursor. */
    async list(
      p: Principal,
      f: EventFilter,
      limit = DEFAULT_LIMIT,
      cursor?: string,
    ): Promise<Page<EventView>> {
      assertCan(p, 'events:read');
      const rows = await page(p.workspaceId, f, limit + 1, decodeCursor(cursor, 2), 'desc');
      const data = rows.slice(0, limit);
      const last = data[data.length - 1];
      return {
        data: data.map(view),
        nextCursor: rows.length > limit && last ? encodeCursor([last.ts, last.message_id]) : null,
      };
    },

    /**
     * Every matching event, oldest first, as NDJSON or CSV. Read in keyset pages of 5,000 so
     * neither the server nor ClickHouse holds the whole export.
     */
    export(
      p: Principal,
      f: EventFilter,
      format: 'ndjson' | 'csv',
      /** How each event leaves (PII masking for the caller), resolved once the stream starts. */
      mask?: () => Promise<((e: EventView) => EventView) | null>,
    ): Readable {
      assertCan(p, 'events:export');
      where(f); // validate before the response starts
      async function* rows() {
        const out = (await mask?.()) ?? ((e: EventView) => e);
        let after: (string | number)[] | null = null;
        for (;;) {
          const batch = await page(p.workspaceId, f, 5000, after, 'asc');
          for (const r of batch) yield out(view(r));
          if (batch.length < 5000) return;
          const last = batch[batch.length - 1];
          after = [last.ts, last.message_id];
        }
      }
      if (format === 'ndjson') {
        return Readable.from(
          (async function* () {
            for await (const e of rows()) yield `${JSON.stringify(e)}\n`;
          })(),
        );
      }
      const csv = stringify({
        header: true,
        columns: [
          'messageId',
          'type',
          'event',
          'userId',
          'anonymousId',
          'profileId',
          'timestamp',
          'receivedAt',
          'properties',
          'traits',
          'context',
        ],
      });
      void (async () => {
        try {
          for await (const e of rows()) {
            const ok = csv.write({
              ...e,
              properties: JSON.stringify(e.properties),
              traits: JSON.stringify(e.traits),
              context: JSON.stringify(e.context),
            });
            if (!ok) await new Promise((r) => csv.once('drain', r));
          }
          csv.end();
        } catch (err) {
          csv.destroy(err as Error);
        }
      })();
      return csv;
    },

    /**
     * Event names in the filter's range with how often they occurred and for how many profiles,
     * most frequent first (the overview's top events; name suggestions in the console).
     */
    async stats(p: Principal, f: EventFilter, limit = DEFAULT_LIMIT): Promise<EventStats> {
      assertCan(p, 'events:read');
      const conds = where(f);
      const filter = conds.length ? sql`WHERE ${join(conds, ' AND ')}` : raw('');
      const rows = await ch.query<{ event: string; event_type: string; n: string; profiles: string }>(
        sql`SELECT event, any(type) AS event_type, count() AS n, uniq(current_profile_id) AS profiles
            FROM ${currentProfileEvents(p.workspaceId)} ${filter}
            GROUP BY event ORDER BY n DESC, event LIMIT ${param(limit, 'UInt32')}`,
        'events-stats',
      );
      return {
        data: rows.map((r) => ({
          event: r.event,
          type: r.event_type,
          count: Number(r.n),
          profiles: Number(r.profiles),
        })),
      };
    },
  };
}

export interface EventStats {
  data: { event: string; type: string; count: number; profiles: number }[];
}

export type EventReader = ReturnType<typeof eventReader>;
