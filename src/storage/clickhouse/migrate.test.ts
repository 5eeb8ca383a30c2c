import { describe, expect, it } from 'vitest';
import { createClickHouse } from './client.ts';
import { loadClickHouseMigrations } from './migrate.ts';

describe('ClickHouse migrations', () => {
  it('are ordered, versioned and embedded-ready by default', () => {
    const ms = loadClickHouseMigrations(null);
    expect(ms.length).toBeGreaterThan(0);
    expect(ms.map((m) => m.version)).toEqual([...ms.map((m) => m.version)].sort());
    const all = ms.flatMap((m) => m.statements).join('\n');
    expect(all).not.toMatch(/\{\{|ON CLUSTER|Replicated/);
  });

  it('switch to ON CLUSTER and Replicated engines for a cluster', () => {
    const all = loadClickHouseMigrations('main')
      .flatMap((m) => m.statements)
      .filter((s) => s.startsWith('CREATE TABLE'));
    expect(all.length).toBeGreaterThan(0);
    for (const s of all) {
      expect(s).toContain('ON CLUSTER main');
      expect(s).toMatch(/ENGINE = Replicated\w*MergeTree/);
    }
    expect(() => loadClickHouseMigrations('main; DROP')).toThrow();
  });

  it('builds a server client from CLICKHOUSE_URL without touching chDB', async () => {
    const ch = createClickHouse({
      dataDir: '/nonexistent',
      durability: 'process',
      clickhouse: {
        url: 'http://127.0.0.1:1',
        database: 'analytics',
        username: 'u',
        password: 'p',
        cluster: null,
      },
    });
    expect(ch.embedded).toBe(false);
    await expect(ch.query({ query: 'SELECT 1', params: {} }, 'test')).rejects.toThrow();
    await ch.close();
  });
});
