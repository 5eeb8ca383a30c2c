import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from './helpers/platform.ts';
import { jsonOf, runCli, startServer } from './helpers/server.ts';

describe('datapulse start', () => {
  const data = tempDataDir();
  afterAll(() => data.remove());

  it('starts on a fresh data dir, bootstraps a token, survives a restart and exits 0 on SIGTERM', async () => {
    const first = await startServer({ DATAPULSE_DATA_DIR: data.dir });
    expect(await jsonOf(fetch(`${first.url}/health`))).toEqual({ status: 'ok' });
    const tokenFile = join(data.dir, 'bootstrap-token');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(first.output()).toContain(token); // printed once
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${first.url}/api/v1/sources`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Web' }),
    });
    expect(created.status).toBe(201);
    const source = await jsonOf(created);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await startServer({ DATAPULSE_DATA_DIR: data.dir });
    expect(second.output()).not.toContain(token); // not printed again
    const list = await jsonOf(fetch(`${second.url}/api/v1/sources`, { headers }));
    expect(list.data.map((s: { writeKey: string }) => s.writeKey)).toContain(source.writeKey);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });

  it('stops with one clear line and exit code 2 on a bad PORT', async () => {
    const { code, output } = await runCli(['start'], { PORT: 'abc', DATAPULSE_DATA_DIR: data.dir });
    expect(code).toBe(2);
    expect(output.trim()).toBe('datapulse: PORT: expected a whole number, got "abc"');
  });

  it('stops with one clear line and exit code 2 on an unreachable DATABASE_URL', async () => {
    const { code, output } = await runCli(['start'], {
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      DATAPULSE_DATA_DIR: data.dir,
    });
    expect(code).toBe(2);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toMatch(/^datapulse: .*cannot connect/);
  });
});
