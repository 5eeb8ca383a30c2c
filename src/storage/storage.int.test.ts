import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';
import { jobRunner } from '../jobs/index.ts';
import { migrate } from './index.ts';
import { jobRepository } from './repositories/jobs.ts';

describe.each(backends())('storage (%s PostgreSQL + embedded ClickHouse)', (backend) => {
  let t: TestPlatform;
  let workspaceId: string;
  beforeAll(async () => {
    t = await createTestPlatform({ backend });
    workspaceId = (
      await t.platform.stores.pg.rows<{ id: string }>(
        (
          await import('drizzle-orm')
        ).sql`select id from workspaces limit 1`,
      )
    )[0].id;
  });
  afterAll(async () => t?.close());

  it('applies migrations once: a second run changes nothing', async () => {
    const again = await migrate(t.platform.stores, t.config);
    expect(again.clickhouse).toEqual([]);
    const tables = await t.platform.stores.ch.query<{ name: string }>(
      {
        query: 'SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name',
        params: {},
      },
      'test',
    );
    expect(tables.map((r) => r.name)).toEqual(
      expect.arrayContaining(['events', 'profiles', 'profile_aliases', 'schema_migrations']),
    );
  });

  it('applies the durability setting to every MergeTree table', async () => {
    await migrate(t.platform.stores, { ...t.config, durability: 'power' });
    const [row] = await t.platform.stores.ch.query<{ create: string }>(
      {
        query:
          "SELECT create_table_query AS create FROM system.tables WHERE name = 'events' AND database = currentDatabase()",
        params: {},
      },
      'test',
    );
    expect(row.create).toMatch(/fsync_after_insert = 1/);
    await migrate(t.platform.stores, t.config);
  });

  it('inserts JSONEachRow buffers into events and reads them back with parameters', async () => {
    const line = (id: string) =>
      `${JSON.stringify({ workspace_id: workspaceId, message_id: id, type: 'track', event: "O'Reilly \\ ');DROP", profile_id: 'prf_1', user_id: '', anonymous_id: 'a', source_id: 's', timestamp: '2026-01-01 00:00:00.000', received_at: '2026-01-01 00:00:00.000', properties: '{"revenue":9.5}', traits: '{}', context: '{}' })}\n`;
    await t.platform.stores.ch.insertJsonEachRow('events', Buffer.from(line('m1') + line('m2')));
    const rows = await t.platform.stores.ch.query<{ message_id: string; revenue: number; event: string }>(
      {
        query:
          'SELECT message_id, revenue, event FROM events WHERE workspace_id = {w:String} AND event = {e:String} ORDER BY message_id',
        params: { w: workspaceId, e: "O'Reilly \\ ');DROP" },
      },
      'test',
    );
    expect(rows).toEqual([
      { message_id: 'm1', revenue: 9.5, event: "O'Reilly \\ ');DROP" },
      { message_id: 'm2', revenue: 9.5, event: "O'Reilly \\ ');DROP" },
    ]);
  });

  it('resumes a job interrupted by a crash and fails it cleanly after too many attempts', async () => {
    const repo = jobRepository(t.platform.stores.pg.db);
    const log = pino({ level: 'silent' });
    // A worker claims a job and "dies" (never finishes it).
    const job = await repo.insert({
      id: `job_crash_${backend}`,
      workspaceId,
      kind: 'test.resume',
      payload: { n: 3 },
      maxAttempts: 2,
    });
    const claimed = await repo.claim(['test.resume'], 60_000);
    expect(claimed?.id).toBe(job.id);
    expect(await repo.claim(['test.resume'], 60_000)).toBeNull(); // leased

    // The next start on a single node requeues it and runs it to completion.
    const runner = jobRunner(repo, log, { singleNode: true, pollMs: 20 });
    let seen: unknown;
    runner.register('test.resume', async (ctx) => {
      seen = ctx.payload;
      ctx.progress(3, 3);
      return { ok: true, attempt: ctx.attempt };
    });
    await runner.start();
    let row = await repo.get(workspaceId, job.id);
    for (let i = 0; i < 100 && row?.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      row = await repo.get(workspaceId, job.id);
    }
    expect(row).toMatchObject({ status: 'done', progress: 1, result: { ok: true, attempt: 2 } });
    expect(seen).toEqual({ n: 3 });

    // A job that always throws ends failed with its error after maxAttempts.
    runner.register('test.fail', async () => {
      throw new Error('boom');
    });
    const bad = await runner.enqueue(workspaceId, 'test.fail', {}, 1);
    let badRow = await repo.get(workspaceId, bad.id);
    for (let i = 0; i < 100 && badRow?.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      badRow = await repo.get(workspaceId, bad.id);
    }
    expect(badRow).toMatchObject({ status: 'failed', error: 'boom' });
    await runner.stop();
  });
});
