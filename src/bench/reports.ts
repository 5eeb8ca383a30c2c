/**
 * Report latency over a synthetic workspace generated inside ClickHouse (INSERT … SELECT from
 * numbers(), no rows through Node): `--events` (100M) events of `--profiles` (10M) profiles over
 * `--days` (180) days, 1 % of profiles merged into others, spend rows for the campaigns, parts
 * merged (OPTIMIZE … FINAL, unless `--no-optimize`). Each
 * report of issue 7 runs `--runs` (2) times through the report service; the figures are the
 * seconds of each run, the best, the rows of the time range it reads and rows/s, next to a plain
 * count() over the same range (the scan ceiling) and a GROUP BY profile over it (the per-profile
 * floor every report pays).
 */

import { reportService } from '../analytics/index.ts';
import type { Principal } from '../auth/index.ts';
import { loadConfig } from '../config/index.ts';
import type { ReportKind } from '../core/reports/index.ts';
import { migrate, openStores, type Stores } from '../storage/index.ts';
import { progressBar } from './machine.ts';
import { tempDir } from './temp.ts';

const DAY_MS = 86_400_000;
const WS = 'ws_bench';
/** Data ends here (fixed, so runs compare). */
const END = Date.UTC(2026, 0, 1);
const CHUNK = 10_000_000;
const TARGET_SECONDS = 2;

function arg(args: string[], name: string, def: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(String(args[i + 1]).replaceAll('_', ''));
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
}

const iso = (ms: number) => new Date(ms).toISOString();
const chTime = (ms: number) => iso(ms).replace('T', ' ').replace('Z', '');

/**
 * Profile p's events: sessions of 5 events (k-th event of the profile is in session k / 5) on a
 * random day; the funnel steps progress within a session, 30 % of sessions start with a
 * campaign, orders carry revenue.
 */
export async function generateBenchData(
  stores: Stores,
  events: number,
  profiles: number,
  days: number,
): Promise<number> {
  const bar = progressBar('generate events', events);
  const t0 = performance.now();
  for (let offset = 0; offset < events; offset += CHUNK) {
    const count = Math.min(CHUNK, events - offset);
    await stores.ch.command(
      {
        query: `INSERT INTO events (workspace_id, message_id, type, event, profile_id, user_id, anonymous_id, source_id, timestamp, received_at, properties, traits, context)
          SELECT {ws:String}, concat('b', toString(number)), if(ev = 'Page Viewed', 'page', 'track'), ev,
            concat('prf_', toString(p)), '', '', 'src_bench', ts, ts,
            multiIf(ev = 'Order Completed', concat('{"revenue":', toString(100 + h % 9000), ',"order_id":"o', toString(number), '"}'),
                    pos = 0 AND h % 10 < 3, concat('{"utm_source":"', ['yandex', 'google', 'vk', 'mytarget', 'telegram'][1 + intDiv(h, 10) % 5], '","utm_medium":"cpc"}'),
                    '{}'),
            '{}', '{}'
          FROM (
            SELECT number, number % {m:UInt64} AS p, intDiv(number, {m:UInt64}) AS k, intDiv(k, 5) AS sess, k % 5 AS pos,
              cityHash64(number, 7) AS h,
              toDateTime64({start:String}, 3, 'UTC') + toIntervalMillisecond(
                86400000 * (cityHash64(p, sess) % {days:UInt64}) + 1000 * (cityHash64(p, sess, 1) % 86400) + 120000 * pos + h % 60000) AS ts,
              multiIf(pos = 0, 'Page Viewed',
                      pos = 1, if(h % 10 < 7, 'Product Viewed', 'Page Viewed'),
                      pos = 2, if(h % 10 < 4, 'Product Added', 'Page Viewed'),
                      pos = 3, if(h % 10 < 5, 'Checkout Started', 'Product Viewed'),
                      if(h % 10 < 4, 'Order Completed', 'Page Viewed')) AS ev
            FROM numbers({offset:UInt64}, {count:UInt64})
          )`,
        params: { ws: WS, m: profiles, days, start: chTime(END - days * DAY_MS), offset, count },
      },
      'bench-generate',
    );
    bar.tick(offset + count);
  }
  // 1 % of profiles merged into their neighbour; spend for the campaigns.
  await stores.ch.command(
    {
      query: `INSERT INTO profile_aliases SELECT {ws:String}, concat('prf_', toString(number * 100)), concat('prf_', toString(number * 100 + 1)), 1
        FROM numbers({n:UInt64})`,
      params: { ws: WS, n: Math.floor(profiles / 100) },
    },
    'bench-generate',
  );
  await stores.ch.command(
    {
      query: `INSERT INTO marketing_spend SELECT {ws:String}, toDate({end:String}) - 1 - intDiv(number, 5), ['yandex', 'google', 'vk', 'mytarget', 'telegram'][1 + number % 5],
          'cpc', 'bench', 1000 + number % 7 * 100, 100000, 2000, now64(3), 1 FROM numbers({n:UInt64})`,
      params: { ws: WS, end: iso(END).slice(0, 10), n: days * 5 },
    },
    'bench-generate',
  );
  return (performance.now() - t0) / 1000;
}

async function count(stores: Stores, from: number | null, to: number): Promise<number> {
  const rows = await stores.ch.query<{ c: string }>(
    {
      query: `SELECT count() AS c FROM events WHERE workspace_id = {ws:String} AND timestamp < {to:DateTime64(3)}${from === null ? '' : ' AND timestamp >= {from:DateTime64(3)}'}`,
      params: { ws: WS, to: chTime(to), ...(from === null ? {} : { from: chTime(from) }) },
    },
    'bench-count',
  );
  return Number(rows[0].c);
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const value = await fn();
  return [(performance.now() - t0) / 1000, value];
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

export async function benchReports(args: string[]) {
  const events = arg(args, 'events', 100_000_000);
  const profiles = arg(args, 'profiles', 10_000_000);
  const days = arg(args, 'days', 180);
  const runs = arg(args, 'runs', 2);
  if (days < 91) throw new Error('--days must be at least 91 (reports read the last 90 days)');
  const tmp = tempDir('datapulse-bench-reports-');
  const config = loadConfig({ ...process.env, DATAPULSE_DATA_DIR: tmp.dir });
  const stores = await openStores(config);
  try {
    await migrate(stores, config);
    const generateSeconds = await generateBenchData(stores, events, profiles, days);
    // Fresh inserts leave many small parts; background merges would join them within minutes.
    // Merge now, so the timings are those of a table at rest (skip with --no-optimize).
    const [optimizeSeconds] = args.includes('--no-optimize')
      ? [0]
      : await timed(() => stores.ch.command('OPTIMIZE TABLE events FINAL', 'bench-optimize'));
    const service = reportService(stores.ch, stores.pg);
    const owner: Principal = { workspaceId: WS, role: 'owner', tokenId: null, instanceOwner: false };
    const from90 = END - 90 * DAY_MS;
    const from30 = END - 30 * DAY_MS;
    const range = { from: iso(from90), to: iso(END) };
    const cases: {
      name: string;
      kind: ReportKind;
      spec: Record<string, unknown>;
      reads: [number | null, number];
    }[] = [
      {
        name: 'overview 90 days',
        kind: 'overview',
        spec: { ...range, granularity: 'day' },
        reads: [null, END],
      },
      {
        name: 'funnel 5 steps, 7-day window',
        kind: 'funnel',
        spec: {
          ...range,
          window: { days: 7 },
          steps: [
            'Page Viewed',
            'Product Viewed',
            'Product Added',
            'Checkout Started',
            'Order Completed',
          ].map((event) => ({
            event,
          })),
        },
        reads: [from90, END],
      },
      {
        name: 'retention 12 weeks',
        kind: 'retention',
        spec: { ...range, period: 'week', periods: 12 },
        reads: [null, END],
      },
      {
        name: 'paths 4 steps',
        kind: 'paths',
        spec: { ...range, start: 'Page Viewed', steps: 4 },
        reads: [from90, END],
      },
      {
        name: 'attribution linear 30 days',
        kind: 'attribution',
        spec: { from: iso(from30), to: iso(END), model: 'linear', lookbackDays: 30 },
        reads: [from30 - 30 * DAY_MS - 30 * 60_000, END],
      },
      { name: 'rfm', kind: 'rfm', spec: range, reads: [from90, END] },
    ];
    const stored = await count(stores, null, END + DAY_MS);
    const [countSeconds, inRange] = await timed(() => count(stores, from90, END));
    const [groupSeconds] = await timed(() =>
      stores.ch.query(
        {
          query:
            'SELECT count() FROM (SELECT profile_id FROM events WHERE workspace_id = {ws:String} AND timestamp >= {from:DateTime64(3)} AND timestamp < {to:DateTime64(3)} GROUP BY profile_id)',
          params: { ws: WS, from: chTime(from90), to: chTime(END) },
        },
        'bench-group',
      ),
    );
    const reports: Record<string, unknown> = {};
    for (const c of cases) {
      const rowsRead = await count(stores, c.reads[0], c.reads[1]);
      const seconds: number[] = [];
      for (let i = 0; i < runs; i++) {
        const [s] = await timed(() => service.run(owner, c.kind, c.spec));
        seconds.push(round(s));
        process.stderr.write(`${c.name}: ${s.toFixed(2)} s\n`);
      }
      const best = Math.min(...seconds);
      reports[c.name] = {
        seconds,
        best,
        rowsRead,
        rowsPerSecond: Math.round(rowsRead / best),
        withinTarget: best <= TARGET_SECONDS,
      };
    }
    return {
      mode: { clickhouse: stores.ch.embedded ? 'embedded chDB' : 'server' },
      events,
      profiles,
      days,
      rowsStored: stored,
      generateSeconds: round(generateSeconds, 1),
      optimizeSeconds: round(optimizeSeconds, 1),
      targetSeconds: TARGET_SECONDS,
      ceiling: {
        count90Days: {
          seconds: round(countSeconds),
          rows: inRange,
          rowsPerSecond: Math.round(inRange / countSeconds),
        },
        groupByProfile90Days: {
          seconds: round(groupSeconds),
          rows: inRange,
          rowsPerSecond: Math.round(inRange / groupSeconds),
        },
      },
      reports,
    };
  } finally {
    await stores.close();
    tmp.remove();
  }
}
