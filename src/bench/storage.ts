import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../config/index.ts';
import { migrate, openStores } from '../storage/index.ts';
import { benchEvent, eventRowLine, mulberry32 } from './fixtures.ts';
import { arg, progressBar } from './machine.ts';

/**
 * The ceiling later benchmarks compare with: raw insert rate of realistic event rows into the
 * events table (one JSONEachRow buffer per batch), and PostgreSQL unnest-upsert rows/s.
 */
export async function benchStorage(args: string[]) {
  const rows = arg(args, 'rows', 500_000);
  const batch = arg(args, 'batch', 5_000);
  const pgRows = arg(args, 'pg-rows', 200_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'datapulse-bench-'));
  const config = loadConfig({ ...process.env, DATAPULSE_DATA_DIR: dataDir });
  const stores = await openStores(config);
  try {
    await migrate(stores, config);
    const rand = mulberry32(42);
    const receivedAt = new Date().toISOString().replace('T', ' ').replace('Z', '');

    // Pre-encode so the figure is the store's, not JSON.stringify's.
    const buffers: Buffer[] = [];
    let bytes = 0;
    for (let i = 0; i < rows; i += batch) {
      const lines: string[] = [];
      for (let j = i; j < Math.min(rows, i + batch); j++)
        lines.push(eventRowLine('ws_bench', benchEvent(rand, j), receivedAt));
      const buf = Buffer.from(lines.join(''));
      bytes += buf.length;
      buffers.push(buf);
    }
    const bar = progressBar('clickhouse insert', rows);
    const latencies: number[] = [];
    const t0 = performance.now();
    let done = 0;
    for (const buf of buffers) {
      const s = performance.now();
      await stores.ch.insertJsonEachRow('events', buf, [
        'workspace_id',
        'message_id',
        'type',
        'event',
        'profile_id',
        'user_id',
        'anonymous_id',
        'source_id',
        'timestamp',
        'received_at',
        'properties',
        'traits',
        'context',
      ]);
      latencies.push(performance.now() - s);
      done += batch;
      bar.tick(Math.min(done, rows));
    }
    const chSeconds = (performance.now() - t0) / 1000;
    const [{ c }] = await stores.ch.query<{ c: string }>(
      { query: 'SELECT count() AS c FROM events', params: {} },
      'bench',
    );
    latencies.sort((a, b) => a - b);

    // PostgreSQL: unnest upsert of profile-like rows in 5k batches, half of them updates.
    await stores.pg.rows(
      sql`CREATE TABLE IF NOT EXISTS bench_upsert (workspace_id text, id text, traits jsonb, updated_at timestamptz, PRIMARY KEY (workspace_id, id))`,
    );
    const pgBar = progressBar('postgres upsert', pgRows);
    const t1 = performance.now();
    for (let i = 0; pgRows > 0 && i < pgRows; i += batch) {
      const ids: string[] = [];
      const traits: string[] = [];
      for (let j = i; j < Math.min(pgRows, i + batch); j++) {
        ids.push(`prf_${i >= pgRows / 2 ? j - pgRows / 2 : j}`); // second half updates the first
        traits.push(
          JSON.stringify({ email: `user${j}@example.ru`, city: 'Москва', plan: j % 3 ? 'free' : 'pro' }),
        );
      }
      await stores.pg.rows(sql`
        INSERT INTO bench_upsert (workspace_id, id, traits, updated_at)
        SELECT 'ws_bench', id, t::jsonb, now() FROM unnest(${sql.param(ids)}::text[], ${sql.param(traits)}::text[]) AS u(id, t)
        ON CONFLICT (workspace_id, id) DO UPDATE SET traits = bench_upsert.traits || excluded.traits, updated_at = excluded.updated_at`);
      pgBar.tick(Math.min(i + batch, pgRows));
    }
    const pgSeconds = (performance.now() - t1) / 1000;

    return {
      mode: {
        clickhouse: stores.ch.embedded ? 'embedded chDB' : 'server',
        postgres: stores.pg.embedded ? 'embedded PGlite' : 'server',
      },
      clickhouse: {
        rows,
        batch,
        avgRowBytes: Math.round(bytes / rows),
        seconds: Math.round(chSeconds * 100) / 100,
        rowsPerSecond: Math.round(rows / chSeconds),
        mbPerSecond: Math.round((bytes / chSeconds / 1e6) * 10) / 10,
        batchLatencyMs: {
          p50: Math.round(latencies[Math.floor(latencies.length / 2)]),
          max: Math.round(latencies[latencies.length - 1]),
        },
        rowsStored: Number(c),
      },
      postgres: {
        rows: pgRows,
        batch,
        seconds: Math.round(pgSeconds * 100) / 100,
        upsertRowsPerSecond: pgRows ? Math.round(pgRows / pgSeconds) : null,
      },
    };
  } finally {
    await stores.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
