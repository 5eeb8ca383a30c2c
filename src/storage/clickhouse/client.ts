import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type ClickHouseClient, ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import type { Config } from '../../config/index.ts';
import { type CompiledSql, compile, type SqlFragment } from '../../core/sql.ts';

export type ClickHouseConfig = Pick<Config, 'clickhouse' | 'dataDir' | 'durability'>;

/**
 * The one ClickHouse handle the rest of the code sees. Behind it is either embedded chDB or a
 * server; nothing else knows which.
 */
export interface ClickHouse {
  readonly client: ClickHouseClient;
  readonly embedded: boolean;
  /** Runs a SELECT, returning rows as objects. `tag` names the query in logs. */
  query<T>(q: SqlFragment | CompiledSql, tag: string): Promise<T[]>;
  /** Runs a statement that returns nothing. */
  command(q: SqlFragment | CompiledSql | string, tag: string): Promise<void>;
  /** Inserts rows already encoded as JSONEachRow (one Buffer per flush: the fast path). */
  insertJsonEachRow(table: string, payload: Buffer, columns?: readonly string[]): Promise<void>;
  /** Streams a SELECT's rows as text lines of a row-per-line format (TabSeparated, JSONEachRow). */
  streamLines(
    q: SqlFragment | CompiledSql,
    format: 'TabSeparated' | 'JSONEachRow',
    tag: string,
  ): AsyncIterable<string>;
  close(): Promise<void>;
}

const TABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function toCompiled(q: SqlFragment | CompiledSql): CompiledSql {
  return 'parts' in q ? compile(q) : q;
}

export function createClickHouse(config: ClickHouseConfig): ClickHouse {
  const embedded = config.clickhouse.url === null;
  let client: ClickHouseClient;
  // Embedded inserts go through chDB's raw passthrough (the engine parses the buffer on its own
  // threads, ~1.8x the client's exec path); everything else uses the same client API as a server.
  let rawInsert:
    | ((p: {
        table: string;
        format: 'JSONEachRow';
        values: Buffer;
        columns?: readonly string[];
      }) => Promise<unknown>)
    | null = null;
  if (embedded) {
    const path = join(config.dataDir, 'clickhouse');
    mkdirSync(path, { recursive: true });
    const connection = createChdbConnection({ path });
    rawInsert = (p) => connection.chdb.rawInsert(p);
    client = createClient({ connection } as never);
  } else {
    client = createClient({
      url: config.clickhouse.url!,
      database: config.clickhouse.database,
      username: config.clickhouse.username ?? undefined,
      password: config.clickhouse.password ?? undefined,
      clickhouse_settings: {
        date_time_input_format: 'best_effort',
        input_format_json_read_objects_as_strings: 1,
      },
      // Errors surface as rejections and are logged by the caller's pino logger.
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  return {
    client,
    embedded,
    async query<T>(q: SqlFragment | CompiledSql, tag: string): Promise<T[]> {
      const { query, params } = toCompiled(q);
      const rs = await client.query({
        query,
        query_params: params,
        format: 'JSONEachRow',
        query_id: embedded ? undefined : `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
      });
      return rs.json<T>();
    },
    async command(q, tag) {
      const { query, params } = typeof q === 'string' ? { query: q, params: {} } : toCompiled(q);
      void tag;
      await client.command({ query, query_params: params });
    },
    async insertJsonEachRow(table, payload, columns) {
      if (!TABLE.test(table)) throw new Error(`Invalid table name ${table}`);
      if (rawInsert) {
        await rawInsert({
          table,
          format: 'JSONEachRow',
          values: payload,
          ...(columns?.length ? { columns } : {}),
        });
        return;
      }
      const cols = columns?.length
        ? ` (${columns.map((c) => `\`${c.replace(/[^A-Za-z0-9_]/g, '')}\``).join(', ')})`
        : '';
      const res = await client.exec({
        query: `INSERT INTO ${table}${cols} FORMAT JSONEachRow`,
        values: Readable.from([payload], { objectMode: false }),
      });
      // Drain the (empty) response so the connection is released.
      for await (const _ of res.stream) {
        /* nothing */
      }
    },
    async *streamLines(q, format, tag) {
      const { query, params } = toCompiled(q);
      void tag;
      const rs = await client.query({ query, query_params: params, format });
      for await (const rows of rs.stream()) {
        for (const row of rows as { text: string }[]) yield row.text;
      }
    },
    async close() {
      await client.close();
    },
  };
}

/** Formats a Date the way ClickHouse DateTime64(3) accepts it in JSONEachRow and parameters. */
export function chTime(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}
