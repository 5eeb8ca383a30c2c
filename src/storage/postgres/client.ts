import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { Config } from '../../config/index.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** The one PostgreSQL handle: embedded PGlite or a server behind the same Drizzle API. */
export interface Postgres {
  readonly db: Db;
  readonly embedded: boolean;
  /** Raw parameterised SQL (hot paths, unnest upserts). Returns rows. */
  rows<T>(query: SQL): Promise<T[]>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export type PostgresConfig = Pick<Config, 'postgres' | 'dataDir'>;

export async function createPostgres(config: PostgresConfig): Promise<Postgres> {
  if (config.postgres.url === null) {
    const path = join(config.dataDir, 'postgres');
    mkdirSync(path, { recursive: true });
    const client = await PGlite.create(path);
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    return {
      db,
      embedded: true,
      async rows<T>(query: SQL) {
        const res = (await db.execute(query)) as unknown as { rows: T[] };
        return res.rows;
      },
      migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_DIR }),
      async close() {
        await client.close();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: config.postgres.url, max: 10, connectionTimeoutMillis: 5000 });
  // An idle connection dropped by the server (restart, failover) is reported here; without a
  // handler it would crash the process. The pool discards it and opens a new one on demand.
  pool.on('error', () => undefined);
  // Fail fast with a clear message when the server is unreachable.
  const probe = await pool.connect();
  probe.release();
  const db = drizzleNodePg(pool, { schema }) as unknown as Db;
  return {
    db,
    embedded: false,
    async rows<T>(query: SQL) {
      const res = (await db.execute(query)) as unknown as { rows: T[] };
      return res.rows;
    },
    migrate: () => migrateNodePg(db as never, { migrationsFolder: MIGRATIONS_DIR }),
    async close() {
      await pool.end();
    },
  };
}

export { sql };
