import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from './helpers/platform.ts';
import { jsonOf, type ServerProcess, startServer } from './helpers/server.ts';

const TOKEN = 'dp_crash_suite_owner_token_0123456789abcd';

async function exportIds(url: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/api/v1/events/export?format=ndjson`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  const counts = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (!line) continue;
    const id = JSON.parse(line).messageId as string;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/**
 * Nothing acknowledged is lost, nothing is stored twice: a server under concurrent batch load is
 * killed with SIGKILL at a random moment, restarted on the same data, and every acknowledged
 * messageId must be there exactly once — also after the clients replay everything.
 */
describe('crash safety', () => {
  const data = tempDataDir();
  afterAll(() => data.remove());

  it('keeps every acknowledged event exactly once across SIGKILLs', async () => {
    const env = { DATAPULSE_DATA_DIR: data.dir, DATAPULSE_BOOTSTRAP_TOKEN: TOKEN };
    let server: ServerProcess = await startServer(env);
    const src = await jsonOf(
      fetch(`${server.url}/api/v1/sources`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'crash' }),
      }),
    );
    const auth = `Basic ${Buffer.from(`${src.writeKey}:`).toString('base64')}`;
    const acked = new Set<string>();
    const sentBatches: unknown[][] = [];

    for (let cycle = 0; cycle < 3; cycle++) {
      let stop = false;
      const client = async (c: number) => {
        let n = 0;
        while (!stop) {
          const batch = Array.from({ length: 50 }, (_, i) => ({
            type: 'track',
            event: 'Crash Test',
            userId: `u${c}`,
            messageId: `c${cycle}-w${c}-${n}-${i}`,
            properties: { n },
          }));
          // Every fifth batch repeats the previous one: replays during the load.
          const body = n % 5 === 4 && sentBatches.length ? sentBatches[sentBatches.length - 1] : batch;
          n++;
          try {
            const res = await fetch(`${server.url}/v1/batch`, {
              method: 'POST',
              headers: { authorization: auth, 'content-type': 'application/json' },
              body: JSON.stringify({ batch: body }),
            });
            if (res.status === 200) {
              for (const e of body as { messageId: string }[]) acked.add(e.messageId);
              sentBatches.push(body);
            }
          } catch {
            /* the server died mid-request: not acknowledged */
          }
        }
      };
      const clients = [0, 1, 2, 3].map(client);
      await new Promise((r) => setTimeout(r, 700 + Math.random() * 1500));
      server.child.kill('SIGKILL');
      await server.exited;
      stop = true;
      await Promise.all(clients);

      server = await startServer(env);
      const counts = await exportIds(server.url);
      const missing = [...acked].filter((id) => !counts.has(id));
      const doubled = [...counts].filter(([, n]) => n > 1);
      expect(missing, `cycle ${cycle}: acknowledged but lost`).toEqual([]);
      expect(doubled, `cycle ${cycle}: stored twice`).toEqual([]);
    }

    // Replaying everything after the restarts changes nothing.
    for (let i = 0; i < sentBatches.length; i += 40) {
      const res = await fetch(`${server.url}/v1/batch`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          batch: sentBatches
            .slice(i, i + 40)
            .flat()
            .slice(0, 2500),
        }),
      });
      expect(res.status).toBe(200);
    }
    const counts = await exportIds(server.url);
    expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
    expect(acked.size).toBeGreaterThan(100);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 180_000);
});
