/**
 * Embedded ClickHouse (chDB) for segment tests: the real migrations, a temp data path per test
 * file (chDB allows one per process), rows loaded from a Dataset.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import { loadClickHouseMigrations } from '../../../storage/clickhouse/migrate.ts';
import { compile, type SqlFragment } from '../../sql.ts';
import { chDateTime64 } from '../iso-time.ts';
import type { Dataset } from './rows.ts';

export interface Chdb {
  client: ClickHouseClient;
  load(data: Dataset): Promise<void>;
  /** Runs a compiled fragment and returns its rows. */
  rows<T = Record<string, unknown>>(fragment: SqlFragment): Promise<T[]>;
  /** The sorted `profile_id` column of a member query. */
  members(fragment: SqlFragment): Promise<string[]>;
  close(): Promise<void>;
}

export async function openChdb(): Promise<Chdb> {
  const dir = mkdtempSync(join(tmpdir(), 'datapulse-segments-'));
  // chdb's Connection type comes from its own copy of @clickhouse/client-common.
  const client = createClient({ connection: createChdbConnection({ path: dir }) } as never);
  for (const m of loadClickHouseMigrations(null)) {
    for (const statement of m.statements) await client.command({ query: statement });
  }
  const rows = async <T>(fragment: SqlFragment): Promise<T[]> => {
    const { query, params } = compile(fragment);
    const result = await client.query({ query, query_params: params, format: 'JSONEachRow' });
    return result.json<T>();
  };
  return {
    client,
    rows,
    async load(data) {
      const insert = (table: string, values: object[]) =>
        values.length ? client.insert({ table, values, format: 'JSONEachRow' }) : Promise.resolve();
      await insert(
        'profiles',
        data.profiles.map((p) => ({
          ...p,
          traits: JSON.stringify(p.traits),
          identifiers: JSON.stringify(p.identifiers),
          first_seen: chDateTime64(p.first_seen),
          last_seen: chDateTime64(p.last_seen),
          created_at: chDateTime64(p.first_seen),
          deleted: p.deleted ?? 0,
        })),
      );
      await insert(
        'events',
        data.events.map((e) => ({
          workspace_id: e.workspace_id,
          message_id: e.message_id,
          type: e.type ?? 'track',
          event: e.event,
          profile_id: e.profile_id,
          user_id: '',
          anonymous_id: '',
          source_id: 'src_test',
          timestamp: chDateTime64(e.timestamp),
          received_at: chDateTime64(e.timestamp),
          properties: JSON.stringify(e.properties),
          traits: '{}',
          context: '{}',
        })),
      );
      await insert('profile_aliases', data.aliases);
    },
    async members(fragment) {
      const r = await rows<{ profile_id: string }>(fragment);
      return r.map((x) => x.profile_id).sort();
    },
    async close() {
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
