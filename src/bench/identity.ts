import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { loadConfig } from '../config/index.ts';
import type { TrackedEvent } from '../core/tracking/index.ts';
import type { IngestItem } from '../ingest/index.ts';
import { createPlatform, type Platform } from '../platform/index.ts';
import { mulberry32 } from './fixtures.ts';
import { arg, percentile, progressBar } from './machine.ts';
import { BIN, type ServerProcess, startServer } from './server-process.ts';
import { tempDir } from './temp.ts';

const TOKEN = 'dp_bench_identity_owner_token_0123456789ab';

/** Secondary indexes of the seeded tables (as in the migrations): built once after the load. */
const SEED_INDEXES = [
  'CREATE INDEX "identities_profile_idx" ON "identities" USING btree ("workspace_id","profile_id")',
  'CREATE INDEX "identities_value_idx" ON "identities" USING btree ("workspace_id","value")',
  'CREATE INDEX "profiles_ws_idx" ON "profiles" USING btree ("workspace_id","id")',
  'CREATE INDEX "profiles_merged_idx" ON "profiles" USING btree ("workspace_id","merged_into")',
];

/**
 * N profiles with user_id, anonymous_id and email identities, written straight into PostgreSQL
 * (secondary indexes dropped during the load and built after it).
 */
async function seedProfiles(platform: Platform, workspaceId: string, n: number): Promise<number> {
  const started = performance.now();
  const bar = progressBar('seeding profiles', n);
  const chunk = 50_000;
  const pg = platform.stores.pg;
  for (const def of SEED_INDEXES) await pg.rows(sql.raw(`DROP INDEX IF EXISTS ${def.split('"')[1]}`));
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk) - 1;
    await pg.rows(sql`
      insert into profiles (id, workspace_id, traits, first_seen, last_seen, created_at, updated_at)
      select 'prf_b' || g, ${workspaceId},
        jsonb_build_object('name', jsonb_build_object('value', 'Person ' || g, 'source', 'seed', 'time', '2026-01-01T00:00:00.000Z')),
        now() - interval '30 days', now(), now() - interval '30 days', now()
      from generate_series(${from}::int, ${to}::int) g`);
    await pg.rows(sql`
      insert into identities (workspace_id, kind, value, profile_id, shared, source, first_seen, last_seen)
      select ${workspaceId}, k.kind, case k.kind when 'user_id' then 'u' || g when 'anonymous_id' then 'a' || g else 'e' || g || '@example.com' end,
        'prf_b' || g, false, 'seed', now() - interval '30 days', now()
      from generate_series(${from}::int, ${to}::int) g, (values ('user_id'), ('anonymous_id'), ('email')) k(kind)`);
    bar.tick(to + 1);
  }
  for (const def of SEED_INDEXES) await pg.rows(sql.raw(def));
  await pg.rows(sql`analyze profiles`);
  await pg.rows(sql`analyze identities`);
  return Math.round((performance.now() - started) / 100) / 10;
}

function event(i: number, userId: string | null, anonymousId: string, email?: string): TrackedEvent {
  const now = new Date();
  return {
    messageId: `bench-${i}`,
    type: 'track',
    event: 'Product Viewed',
    userId,
    anonymousId,
    properties: { sku: 'x' },
    traits: {},
    context: email ? { traits: { email } } : {},
    timestamp: now,
    sentAt: null,
    receivedAt: now,
  };
}

async function resolveRate(platform: Platform, items: IngestItem[], batch: number) {
  const latencies: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < items.length; i += batch) {
    const s = performance.now();
    await platform.identity.resolver.resolve(items.slice(i, i + batch));
    latencies.push(performance.now() - s);
  }
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    events: items.length,
    eventsPerSecond: Math.round(items.length / seconds),
    flushMs: { p50: Math.round(percentile(latencies, 50)), p99: Math.round(percentile(latencies, 99)) },
  };
}

/**
 * Resolution throughput with N existing profiles: cold caches (every profile read from
 * PostgreSQL), warm caches (the same people again), and new people (profiles created).
 */
export async function benchIdentity(args: string[]) {
  const n = arg(args, 'profiles', 1_000_000);
  const events = arg(args, 'events', 100_000);
  const batch = arg(args, 'batch', 5_000);
  const data = tempDir('datapulse-bench-identity-');
  const config = loadConfig({
    DATAPULSE_DATA_DIR: data.dir,
    DATAPULSE_BOOTSTRAP_TOKEN: TOKEN,
    LOG_LEVEL: 'silent',
  });
  const platform = await createPlatform(config, pino({ level: 'silent' }));
  try {
    const { workspaceId } = await platform.workspaces.bootstrap({ token: TOKEN, dataDir: data.dir });
    const seedSeconds = await seedProfiles(platform, workspaceId, n);
    const rand = mulberry32(3);
    const known = Array.from({ length: events }, (_, i) => {
      const p = Math.floor(rand() * n);
      return { workspaceId, sourceId: 'src_bench', event: event(i, rand() < 0.5 ? `u${p}` : null, `a${p}`) };
    });
    process.stderr.write('identity bench: cold caches\n');
    const cold = await resolveRate(platform, known, batch);
    process.stderr.write('identity bench: warm caches\n');
    const warm = await resolveRate(platform, known, batch);
    process.stderr.write('identity bench: new people\n');
    const fresh = Array.from({ length: events }, (_, i) => ({
      workspaceId,
      sourceId: 'src_bench',
      event: event(events + i, `new-u${i}`, `new-a${i}`, `new${i}@example.com`),
    }));
    const created = await resolveRate(platform, fresh, batch);
    return {
      profiles: n,
      seedSeconds,
      batch,
      coldCache: cold,
      warmCache: warm,
      newProfiles: created,
      resolverStats: platform.identity.resolver.stats,
      store: 'embedded PGlite',
    };
  } finally {
    await platform.close();
    data.remove();
  }
}

/** GET a profile by id and by identifier at concurrency 32 over N profiles, against a started server. */
export async function benchProfileApi(args: string[]) {
  const n = arg(args, 'profiles', 1_000_000);
  const duration = arg(args, 'duration', 10);
  const connections = arg(args, 'connections', 32);
  const at = args.indexOf('--measure-dir');
  if (at >= 0) return measureProfileApi(args[at + 1], n, duration, connections);
  const data = tempDir('datapulse-bench-profiles-');
  try {
    const config = loadConfig({
      DATAPULSE_DATA_DIR: data.dir,
      DATAPULSE_BOOTSTRAP_TOKEN: TOKEN,
      LOG_LEVEL: 'silent',
    });
    const platform = await createPlatform(config, pino({ level: 'silent' }));
    const { workspaceId } = await platform.workspaces.bootstrap({ token: TOKEN, dataDir: data.dir });
    const seedSeconds = await seedProfiles(platform, workspaceId, n);
    // The seed wrote PostgreSQL directly: build the profile documents from it, as the background
    // backfill would, and measure only once they are complete.
    process.stderr.write('profile-api bench: building profile documents\n');
    const docsStarted = performance.now();
    await platform.identity.profiles.documents.rebuild(workspaceId);
    const documentsSeconds = Math.round((performance.now() - docsStarted) / 100) / 10;
    await platform.close();
    // The load comes from a fresh process: this one keeps what the seed left in its heap (embedded
    // stores), and at 1M profiles its collector pauses showed in autocannon's latencies and even
    // halved the /health ceiling.
    const measured = await measureInChild([
      'bench',
      'profile-api',
      '--measure-dir',
      data.dir,
      ...['--profiles', String(n), '--duration', String(duration), '--connections', String(connections)],
    ]);
    return {
      profiles: n,
      seedSeconds,
      documents: 'built by the backfill (rebuild) after the seed, before measuring',
      documentsSeconds,
      connections,
      access: 'uniform random over all profiles (caches mostly cold)',
      load: 'autocannon in a child process; the server in another',
      ceiling: measured.ceiling,
      byId: measured.byId,
      byIdentifier: measured.byIdentifier,
      targets: { p50Ms: 2, p95Ms: 10 },
    };
  } finally {
    data.remove();
  }
}

/** Runs the CLI with `args` and returns the JSON it prints (its progress goes to our stderr). */
async function measureInChild(args: string[]): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`profile-api measurement exited with ${code}`);
  return JSON.parse(out.slice(out.indexOf('{')));
}

/** The measured phases against a server started on `dir` (seeded by benchProfileApi). */
async function measureProfileApi(dir: string, n: number, duration: number, connections: number) {
  let server: ServerProcess | null = null;
  try {
    server = await startServer({
      DATAPULSE_DATA_DIR: dir,
      DATAPULSE_BOOTSTRAP_TOKEN: TOKEN,
      LOG_LEVEL: 'warn',
    });
    const rand = mulberry32(9);
    const run = async (path: () => string) => {
      const times: number[] = [];
      const r = await new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          {
            url: server!.url,
            connections,
            duration,
            requests: [
              {
                method: 'GET',
                headers: { authorization: `Bearer ${TOKEN}` },
                setupRequest: (req) => ({ ...req, path: path() }),
              },
            ],
          },
          (err, result) => (err ? reject(err) : resolve(result)),
        );
        // autocannon's summary has no p95 (the target): every response time, in ms.
        instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
      });
      const sorted = Float64Array.from(times).sort();
      const at = (p: number) => Math.round(percentile(sorted, p) * 10) / 10;
      return {
        requestsPerSecond: Math.round(r.requests.average),
        latencyMs: { p50: at(50), p90: at(90), p95: at(95), p99: at(99), max: at(100) },
        non2xx: r.non2xx,
        errors: r.errors + r.timeouts,
      };
    };
    // The framework's ceiling on this machine right now (no auth, no store): on a shared, loaded
    // machine the profile figures only mean something next to it.
    process.stderr.write('profile-api bench: GET /health (ceiling)\n');
    const ceiling = await run(() => '/health');
    process.stderr.write('profile-api bench: GET /profiles/{id}\n');
    const byId = await run(() => `/api/v1/profiles/prf_b${Math.floor(rand() * n)}`);
    process.stderr.write('profile-api bench: GET /profiles?identifier=email:…\n');
    const byIdentifier = await run(
      () => `/api/v1/profiles?identifier=email:e${Math.floor(rand() * n)}%40example.com`,
    );
    return { ceiling, byId, byIdentifier };
  } finally {
    if (server) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }
}
