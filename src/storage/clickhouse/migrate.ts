import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../config/index.ts';
import type { ClickHouse } from './client.ts';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface ClickHouseMigration {
  version: string;
  name: string;
  statements: string[];
}

/**
 * Reads the ordered, versioned SQL files. The same files serve embedded and server mode; a cluster
 * gets `ON CLUSTER <name>` and Replicated engines through the two template markers.
 */
export function loadClickHouseMigrations(
  cluster: string | null,
  dir = MIGRATIONS_DIR,
): ClickHouseMigration[] {
  if (cluster !== null && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(cluster)) {
    throw new Error(`Invalid cluster name ${cluster}`);
  }
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8')
        .replaceAll('{{ON_CLUSTER}}', cluster ? `ON CLUSTER ${cluster}` : '')
        .replaceAll('{{REPLICATED}}', cluster ? 'Replicated' : '');
      const statements = text
        .split(/;\s*$/m)
        .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
        .filter(Boolean);
      return { version: file.slice(0, 4), name: file.slice(5, -4), statements };
    });
}

export async function migrateClickHouse(
  ch: ClickHouse,
  config: Pick<Config, 'clickhouse' | 'durability'>,
): Promise<string[]> {
  const onCluster = config.clickhouse.cluster ? `ON CLUSTER ${config.clickhouse.cluster}` : '';
  await ch.command(
    `CREATE TABLE IF NOT EXISTS schema_migrations ${onCluster} (version String, name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = ${config.clickhouse.cluster ? 'Replicated' : ''}ReplacingMergeTree ORDER BY version`,
    'migrate',
  );
  const done = new Set(
    (
      await ch.query<{ version: string }>(
        { query: 'SELECT version FROM schema_migrations FINAL', params: {} },
        'migrate',
      )
    ).map((r) => r.version),
  );
  const applied: string[] = [];
  for (const m of loadClickHouseMigrations(config.clickhouse.cluster)) {
    if (done.has(m.version)) continue;
    for (const statement of m.statements) await ch.command(statement, `migrate-${m.version}`);
    await ch.command(
      {
        query: 'INSERT INTO schema_migrations (version, name) VALUES ({v:String}, {n:String})',
        params: { v: m.version, n: m.name },
      },
      'migrate',
    );
    applied.push(`${m.version}_${m.name}`);
  }
  await applyDurability(ch, config.durability);
  return applied;
}

/**
 * Durability is a table setting: 'power' makes every insert fsync its part files and directory
 * before the insert returns; 'process' leaves flushing to the OS (survives a process crash).
 */
async function applyDurability(ch: ClickHouse, durability: Config['durability']): Promise<void> {
  const on = durability === 'power' ? 1 : 0;
  const tables = await ch.query<{ name: string }>(
    {
      query:
        "SELECT name FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree' AND name != 'schema_migrations'",
      params: {},
    },
    'migrate',
  );
  for (const { name } of tables) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    await ch.command(
      `ALTER TABLE \`${name}\` MODIFY SETTING fsync_after_insert = ${on}, fsync_part_directory = ${on}`,
      'migrate',
    );
  }
}
