import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { inject } from 'vitest';
import { type Config, loadConfig } from '../../src/config/index.ts';
import { createPlatform, type Platform } from '../../src/platform/index.ts';

export type Backend = 'embedded' | 'server';

/** The backends a storage suite runs on: embedded always, a PostgreSQL server when one is up. */
export function backends(): Backend[] {
  return inject('pgServerUrl') ? ['embedded', 'server'] : ['embedded'];
}

/** A scratch data dir; refuses to delete anything outside the temp directory. */
export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'datapulse-test-'));
  return {
    dir,
    remove() {
      if (!dir.startsWith(tmpdir())) throw new Error(`refusing to delete ${dir}`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A database of its own on the shared test server, dropped by `drop()`. */
export async function tempServerDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = inject('pgServerUrl');
  if (!admin) throw new Error('no PostgreSQL test server');
  const name = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}

export interface TestPlatform {
  platform: Platform;
  config: Config;
  dataDir: string;
  /** The bootstrap owner token of the default workspace. */
  ownerToken: string;
  close(): Promise<void>;
}

export const TEST_OWNER_TOKEN = 'dp_test_owner_token_0123456789abcdefghijkl';

/** A whole platform on scratch stores (embedded, or PostgreSQL server + embedded chDB). */
export async function createTestPlatform(
  opts: { backend?: Backend; env?: Record<string, string> } = {},
): Promise<TestPlatform> {
  const data = tempDataDir();
  const server = opts.backend === 'server' ? await tempServerDatabase() : null;
  const config = loadConfig({
    DATAPULSE_DATA_DIR: data.dir,
    DATAPULSE_BOOTSTRAP_TOKEN: TEST_OWNER_TOKEN,
    LOG_LEVEL: 'silent',
    DATAPULSE_LOG_PRETTY: 'false',
    ...(server ? { DATABASE_URL: server.url } : {}),
    ...opts.env,
  });
  const platform = await createPlatform(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }));
  await platform.workspaces.bootstrap({ token: config.bootstrap.token, dataDir: config.dataDir });
  return {
    platform,
    config,
    dataDir: data.dir,
    ownerToken: TEST_OWNER_TOKEN,
    async close() {
      await platform.close();
      await server?.drop();
      data.remove();
    },
  };
}
