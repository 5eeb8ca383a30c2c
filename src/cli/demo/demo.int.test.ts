import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../test/helpers/platform.ts';
import { freePort, runCli, type ServerProcess, startServer } from '../../../test/helpers/server.ts';

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
interface Source {
  id: string;
  name: string;
  writeKey: string;
}

describe('datapulse demo against a running server', () => {
  const data = tempDataDir();
  let server: ServerProcess;
  let token: string;
  const env = { DATAPULSE_TOKEN: '', DATAPULSE_DATA_DIR: '' };

  beforeAll(async () => {
    server = await startServer({ DATAPULSE_DATA_DIR: data.dir });
    token = readFileSync(join(data.dir, 'bootstrap-token'), 'utf8').trim();
  });

  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    data.remove();
  });

  const api = async <T>(path: string): Promise<T> =>
    (
      await fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } })
    ).json() as Promise<T>;
  const demoSources = async () => (await api<Page<Source>>('/sources')).data.filter((s) => s.name === 'Demo');

  it('creates a Demo source, sends 200 profiles × 7 days through /v1/batch and writes the ad spend', async () => {
    const args = ['demo', '--profiles', '200', '--days', '7', '--url', server.url, '--data-dir', data.dir];
    const { code, output } = await runCli(args, env);
    expect(code, output).toBe(0);
    expect(output).toMatch(/Sent [\d,]+ events to .* none rejected/);
    expect(output).toMatch(/demo: [\d,]+\/[\d,]+ events \(100%\)/); // the plain progress line (not a TTY)

    const events = await api<Page<{ messageId: string }>>('/events?limit=1');
    expect(events.data).toHaveLength(1);
    expect(events.data[0].messageId).toBeTruthy();

    const demo = await demoSources();
    expect(demo).toHaveLength(1);
    expect(output).toContain(demo[0].writeKey);

    const sent = Number(/Sent ([\d,]+) events/.exec(output)?.[1].replaceAll(',', ''));
    expect(sent).toBeGreaterThan(1000);
    const csv = readFileSync(join(data.dir, 'demo', 'ad-spend.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe('date,source,medium,campaign,cost,impressions,clicks');
    expect(csv.length).toBeGreaterThan(7);
    const json = JSON.parse(readFileSync(join(data.dir, 'demo', 'ad-spend.json'), 'utf8'));
    expect(json).toHaveLength(csv.length - 1);
    expect(output).toContain(`${json.length} rows loaded into marketing spend`);
    const first = json[0] as { date: string };
    const stored = await api<{ data: unknown[] }>(`/marketing/spend?from=${first.date}&to=2100-01-01`);
    expect(stored.data.length).toBeGreaterThan(0);
  });

  it('sends with a given write key; every acknowledged event is stored once', async () => {
    const [demo] = await demoSources();
    const before = await countAll();
    const args = [
      'demo',
      '--profiles',
      '20',
      '--days',
      '3',
      '--seed',
      '5',
      '--url',
      server.url,
      '--data-dir',
      data.dir,
    ];
    const { code, output } = await runCli([...args, '--write-key', demo.writeKey], env);
    expect(code, output).toBe(0);
    expect(output).toContain(`write key:     ${demo.writeKey}`);
    const sent = Number(/Sent ([\d,]+) events/.exec(output)?.[1].replaceAll(',', ''));
    expect(output).toContain(
      `demo: ${sent.toLocaleString('en-US')}/${sent.toLocaleString('en-US')} events (100%)`,
    );
    expect((await countAll()) - before).toBe(sent);
    expect(await demoSources()).toHaveLength(1);
  });

  async function countAll(): Promise<number> {
    let n = 0;
    let cursor: string | null = null;
    do {
      const page: Page<unknown> = await api<Page<unknown>>(
        `/events?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      n += page.data.length;
      cursor = page.nextCursor;
    } while (cursor);
    return n;
  }
});

describe('datapulse demo without a server or a token', () => {
  const data = tempDataDir();
  afterAll(() => data.remove());

  it('says in one line that the server is not reachable (exit 2)', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const { code, output } = await runCli(['demo', '--url', url, '--data-dir', data.dir], {
      DATAPULSE_TOKEN: '',
    });
    expect(code).toBe(2);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toMatch(
      /^datapulse demo: --url: cannot reach DataPulse at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
  });

  it('says in one line that the token is missing (exit 2)', async () => {
    const server = await startServer({
      DATAPULSE_DATA_DIR: data.dir,
      DATAPULSE_BOOTSTRAP_TOKEN: 'dp_fixed_token_for_this_test_0123456789',
    });
    try {
      expect(existsSync(join(data.dir, 'bootstrap-token'))).toBe(false);
      const { code, output } = await runCli(['demo', '--url', server.url, '--data-dir', data.dir], {
        DATAPULSE_TOKEN: '',
      });
      expect(code).toBe(2);
      expect(output.trim().split('\n')).toHaveLength(1);
      expect(output).toMatch(/^datapulse demo: --token: no API token; pass --token or set DATAPULSE_TOKEN/);

      const wrong = await runCli(
        ['demo', '--url', server.url, '--data-dir', data.dir, '--token', 'dp_wrong'],
        {
          DATAPULSE_TOKEN: '',
        },
      );
      expect(wrong.code).toBe(2);
      expect(wrong.output.trim()).toBe('datapulse demo: --token: the server rejected the API token (401)');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
