import type { Config } from '../config/index.ts';
import { type ClickHouse, createClickHouse } from './clickhouse/client.ts';
import { migrateClickHouse } from './clickhouse/migrate.ts';
import { createPostgres, type Postgres } from './postgres/client.ts';

export type { ClickHouse } from './clickhouse/client.ts';
export { chTime } from './clickhouse/client.ts';
export type { Db, Postgres } from './postgres/client.ts';
export * as tables from './postgres/schema.ts';

export interface Stores {
  ch: ClickHouse;
  pg: Postgres;
  close(): Promise<void>;
}

export type StoresConfig = Pick<Config, 'clickhouse' | 'postgres' | 'dataDir' | 'durability'>;

/** Opens both stores (embedded or servers, per config). */
export async function openStores(config: StoresConfig): Promise<Stores> {
  const pg = await createPostgres(config);
  let ch: ClickHouse;
  try {
    ch = createClickHouse(config);
    await ch.query({ query: 'SELECT 1 AS ok', params: {} }, 'ping');
  } catch (err) {
    await pg.close();
    throw err;
  }
  return {
    ch,
    pg,
    async close() {
      await Promise.allSettled([ch.close(), pg.close()]);
    },
  };
}

/** Applies both stores' migrations (idempotent). */
export async function migrate(stores: Stores, config: StoresConfig): Promise<{ clickhouse: string[] }> {
  await stores.pg.migrate();
  const clickhouse = await migrateClickHouse(stores.ch, config);
  return { clickhouse };
}
