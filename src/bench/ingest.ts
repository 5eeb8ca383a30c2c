import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { loadConfig } from '../config/index.ts';
import { openStores } from '../storage/index.ts';
import { benchEvent, mulberry32 } from './fixtures.ts';
import { arg } from './machine.ts';
import { type ServerProcess, startServer } from './server-process.ts';
import { tempDir } from './temp.ts';

const TOKEN = 'dp_bench_owner_token_0123456789abcdefghij';

/** A /proc/<pid>/status figure in MB: VmHWM (peak RSS), RssAnon (heaps), RssFile (mapped code). */
function statusMb(pid: number, field: 'VmHWM' | 'RssAnon' | 'RssFile'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = status.match(new RegExp(`${field}:\\s+(\\d+)\\s+kB`));
  return m ? Math.round(Number(m[1]) / 1024) : -1;
}

interface Phase {
  requests: number;
  requestsPerSecond: number;
  eventsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  errors: number;
  non2xx: number;
}

/** Unique bodies: a template per batch with a placeholder replaced by a fresh run id each time. */
function batchTemplates(n: number, size: number, seed: number, profiles: number): string[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, (_, b) =>
    JSON.stringify({
      batch: Array.from({ length: size }, (_, i) => {
        const e = benchEvent(rand, b * size + i, profiles);
        return { ...e, messageId: `@@-${i}` };
      }),
      sentAt: new Date().toISOString(),
    }),
  );
}

async function run(opts: autocannon.Options, eventsPerRequest: number): Promise<Phase> {
  const r = await autocannon(opts);
  return {
    requests: r.requests.total,
    requestsPerSecond: Math.round(r.requests.average),
    eventsPerSecond: Math.round(r.requests.average * eventsPerRequest),
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

/**
 * Collection throughput: the server in a child process, autocannon in this one, on 127.0.0.1.
 * Batches of 100 (plain and gzip), single events, and latency at half the peak batch rate.
 */
export async function benchIngest(args: string[]) {
  const duration = arg(args, 'duration', 15);
  const connections = arg(args, 'connections', 16);
  const profiles = arg(args, 'profiles', 20_000);
  const data = tempDir('datapulse-bench-ingest-');
  let server: ServerProcess | null = null;
  try {
    server = await startServer({
      DATAPULSE_DATA_DIR: data.dir,
      DATAPULSE_BOOTSTRAP_TOKEN: TOKEN,
      // info: the pipeline's closing line (where flush time went) is read below.
      LOG_LEVEL: 'info',
    });
    const src = (await (
      await fetch(`${server.url}/api/v1/sources`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'bench' }),
      })
    ).json()) as { writeKey: string };
    const auth = `Basic ${Buffer.from(`${src.writeKey}:`).toString('base64')}`;
    let counter = 0;
    const runId = Date.now().toString(36);
    const templates = batchTemplates(64, 100, 7, profiles);

    // Warm-up (not measured): every visitor's devices sign in once, so the measured phases see
    // returning people, as a live site mostly does. Creating them is the cold path (bench identity).
    const warmStart = performance.now();
    const ids = Array.from({ length: profiles * 3 }, (_, i) => i);
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (let i = worker * 500; i < ids.length; i += 8 * 500) {
          const batch = ids.slice(i, i + 500).map((n) => ({
            type: 'identify',
            userId: `user-${Math.floor(n / 3)}`,
            anonymousId: `anon-${Math.floor(n / 3)}-${n % 3}`,
            messageId: `warm-${runId}-${n}`,
          }));
          const res = await fetch(`${server!.url}/v1/batch`, {
            method: 'POST',
            headers: { authorization: auth, 'content-type': 'application/json' },
            body: JSON.stringify({ batch }),
          });
          if (res.status !== 200) throw new Error(`warm-up failed: ${res.status}`);
        }
      }),
    );
    const warmUp = {
      profiles,
      events: ids.length,
      seconds: Math.round((performance.now() - warmStart) / 100) / 10,
    };
    const plainBatch = (): autocannon.Request => ({
      method: 'POST',
      path: '/v1/batch',
      headers: { authorization: auth, 'content-type': 'application/json' },
      setupRequest: (req) => {
        const n = counter++;
        return { ...req, body: templates[n % templates.length].replaceAll('@@', `${runId}-${n}`) };
      },
    });

    process.stderr.write(`ingest bench: batches of 100, ${connections} connections, ${duration}s\n`);
    const batches = await run({ url: server.url, connections, duration, requests: [plainBatch()] }, 100);

    // gzip: pre-compressed unique bodies (compression is the SDK's cost, not the server's).
    const gzBodies = Array.from(
      { length: Math.ceil((batches.requestsPerSecond * duration) / 1) + 200 },
      (_, n) => gzipSync(templates[n % templates.length].replaceAll('@@', `${runId}-gz-${n}`)),
    );
    let gz = 0;
    process.stderr.write('ingest bench: gzip batches of 100\n');
    const gzip = await run(
      {
        url: server.url,
        connections,
        duration,
        requests: [
          {
            method: 'POST',
            path: '/v1/batch',
            headers: { authorization: auth, 'content-type': 'text/plain', 'content-encoding': 'gzip' },
            setupRequest: (req) => ({ ...req, body: gzBodies[gz++ % gzBodies.length] }),
          },
        ],
      },
      100,
    );

    const rand = mulberry32(11);
    const singles = Array.from({ length: 256 }, (_, i) =>
      JSON.stringify({ ...benchEvent(rand, i), messageId: '@@' }),
    );
    let s = 0;
    const singleEvents = (clients: number) =>
      run(
        {
          url: server!.url,
          connections: clients,
          duration,
          requests: [
            {
              method: 'POST',
              path: '/v1/track',
              headers: { authorization: auth, 'content-type': 'application/json' },
              setupRequest: (req) => {
                const n = s++;
                return { ...req, body: singles[n % singles.length].replace('@@', `${runId}-s-${n}`) };
              },
            },
          ],
        },
        1,
      );
    process.stderr.write(`ingest bench: single events, ${connections * 2} connections\n`);
    const single = await singleEvents(connections * 2);
    // Each request waits for its flush's insert (~10 ms of chDB CPU whatever its size), so the
    // single-event rate grows with the clients sending at once: a site's many browsers.
    const manyClients = arg(args, 'single-connections', 256);
    process.stderr.write(`ingest bench: single events, ${manyClients} connections\n`);
    const singleMany = await singleEvents(manyClients);

    const halfRate = Math.max(1, Math.round(batches.requestsPerSecond / 2));
    process.stderr.write(`ingest bench: latency at half the peak rate (${halfRate} req/s)\n`);
    const half = await run(
      { url: server.url, connections, duration, overallRate: halfRate, requests: [plainBatch()] },
      100,
    );

    const pid = server.child.pid!;
    const rss = statusMb(pid, 'VmHWM');
    // At the end: the part of RSS that is heap vs. pages of the mapped chDB library (566 MB file).
    const rssNow = { anonMb: statusMb(pid, 'RssAnon'), fileMb: statusMb(pid, 'RssFile') };
    server.child.kill('SIGTERM');
    await server.exited;
    // The server logs where its flush time went (dedup, identity, insert) when it stops.
    const closing = server
      .output()
      .split('\n')
      .find((l) => l.includes('ingest pipeline closed'));
    const pipeline = closing ? JSON.parse(closing) : null;
    server = null;

    // What was acknowledged is what is stored, once.
    const config = loadConfig({ DATAPULSE_DATA_DIR: data.dir });
    const stores = await openStores(config);
    const [{ stored, distinct }] = await stores.ch.query<{ stored: string; distinct: string }>(
      { query: 'SELECT count() AS stored, uniqExact(message_id) AS distinct FROM events', params: {} },
      'bench',
    );
    await stores.close();
    const acked =
      (batches.requests - batches.non2xx + gzip.requests - gzip.non2xx + half.requests - half.non2xx) * 100 +
      (single.requests - single.non2xx) +
      (singleMany.requests - singleMany.non2xx);

    const storage = args.includes('--no-storage')
      ? null
      : ((await (await import('./storage.ts')).benchStorage(['--rows', '200000', '--pg-rows', '0']))
          .clickhouse as { rowsPerSecond: number });
    return {
      server: 'datapulse start (embedded chDB + PGlite), child process',
      load: `autocannon, ${connections} connections, ${duration}s per phase, same machine`,
      warmUp,
      batches100: batches,
      gzipBatches100: gzip,
      singleEvents: single,
      singleEventsManyClients: { connections: manyClients, ...singleMany },
      halfPeakRate: { targetRequestsPerSecond: halfRate, ...half },
      serverPeakRssMb: rss,
      serverRssAtEnd: rssNow,
      pipeline: pipeline && { flushes: pipeline.flushes, stored: pipeline.stored, msSpent: pipeline.ms },
      stored: { acknowledged: acked, rows: Number(stored), distinctMessageIds: Number(distinct) },
      rawInsertRowsPerSecond: storage?.rowsPerSecond ?? null,
      ratioToRawInsert: storage
        ? Math.round((batches.eventsPerSecond / storage.rowsPerSecond) * 100) / 100
        : null,
      targets: {
        batchEventsPerSecond: { target: 50_000, met: batches.eventsPerSecond >= 50_000 },
        singleRequestsPerSecond: {
          target: 5_000,
          met: single.requestsPerSecond >= 5_000,
          metWithManyClients: singleMany.requestsPerSecond >= 5_000,
        },
        p99AtHalfRateMs: { target: 50, met: half.latencyMs.p99 <= 50 },
        peakRssMb: { target: 1024, met: rss <= 1024 },
        errors: {
          target: 0,
          met:
            batches.errors +
              gzip.errors +
              single.errors +
              singleMany.errors +
              half.errors +
              batches.non2xx +
              gzip.non2xx +
              single.non2xx +
              singleMany.non2xx +
              half.non2xx ===
            0,
        },
      },
    };
  } finally {
    if (server) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    data.remove();
  }
}
