/**
 * Segment evaluation at scale: profiles and events generated INSIDE ClickHouse (INSERT … SELECT
 * from numbers()), then five rules recomputed through the real evaluator (diff into
 * segment_history and segment_members), each also counted by the compiled SQL and by a
 * hand-written SQL of the same rule, in the same run.
 *
 *   npm run bench -- segments --profiles 10000000 --events 100000000 [--runs 3]
 */
import { loadavg } from 'node:os';
import pino from 'pino';
import { loadConfig } from '../config/index.ts';
import { countSql } from '../core/segments/compile-rule.ts';
import type { Rule } from '../core/segments/rule-schema.ts';
import { compile, param, raw, type SqlFragment, sql } from '../core/sql.ts';
import { SegmentBus } from '../segments/bus.ts';
import { ruleContext } from '../segments/evaluation-sql.ts';
import { segmentEvaluator } from '../segments/evaluator.ts';
import { membershipStore } from '../segments/membership.ts';
import { segmentRepository } from '../segments/repository.ts';
import { type ClickHouse, chTime, migrate, openStores, tables } from '../storage/index.ts';
import { arg, progressBar } from './machine.ts';
import { tempDir } from './temp.ts';

const WS = 'ws_bench';
const DAY = 86_400_000;
const TARGET_MS = 5000;

const w = () => param(WS, 'String');
const t = (ms: number) => param(chTime(new Date(ms)), "DateTime64(3, 'UTC')");

/** Profiles: plan, city, age and an email; 1% merged into their neighbour (profile_aliases). */
export async function generate(ch: ClickHouse, profiles: number, events: number, now: number): Promise<void> {
  const bar = progressBar('profiles', profiles);
  const chunk = 5_000_000;
  for (let from = 0; from < profiles; from += chunk) {
    const n = Math.min(chunk, profiles - from);
    await ch.command(
      sql`INSERT INTO profiles (workspace_id, profile_id, traits, identifier_types, identifiers, first_seen, last_seen, created_at, version, deleted)
        SELECT ${w()}, concat('prf_', toString(number)),
          concat('{"plan":"', ['free','pro','business'][number % 3 + 1], '","city":"', ['Москва','Санкт-Петербург','Казань','Новосибирск','Екатеринбург','Самара','Омск','Сочи'][cityHash64(number) % 8 + 1], '","age":', toString(18 + cityHash64(number, 1) % 60), ',"email":"user', toString(number), '@example.com"}'),
          ['email', 'user_id'],
          concat('{"email":["user', toString(number), '@example.com"],"user_id":["u', toString(number), '"]}'),
          ${t(now)} - toIntervalDay(200 + number % 300), ${t(now)} - toIntervalDay(number % 60), ${t(now)} - toIntervalDay(200 + number % 300), 1, 0
        FROM numbers(${param(from, 'UInt64')}, ${param(n, 'UInt64')})`,
      'bench-profiles',
    );
    bar.tick(from + n);
  }
  await ch.command(
    sql`INSERT INTO profile_aliases (workspace_id, profile_id, survivor_id, version)
      SELECT ${w()}, concat('prf_', toString(number * 100 + 1)), concat('prf_', toString(number * 100)), 1
      FROM numbers(${param(Math.floor(profiles / 100), 'UInt64')})`,
    'bench-aliases',
  );
  const ebar = progressBar('events', events);
  const echunk = 10_000_000;
  // 60% page views, 20% product views, 10% cart adds, 10% orders with a revenue; 180 days.
  for (let from = 0; from < events; from += echunk) {
    const n = Math.min(echunk, events - from);
    await ch.command(
      sql`INSERT INTO events (workspace_id, message_id, type, event, profile_id, user_id, anonymous_id, source_id, timestamp, received_at, properties, traits, context)
        SELECT ${w()}, toString(number), 'track', e, concat('prf_', toString(cityHash64(number) % ${param(profiles, 'UInt64')})), '', '', 'src_bench',
          ts, ts,
          if(e = 'Order Completed', concat('{"revenue":', toString(cityHash64(number, 2) % 50000 / 10), ',"currency":"RUB"}'), '{"url":"/catalog/shoes"}'),
          '{}', '{}'
        FROM (SELECT number, ['Page Viewed','Page Viewed','Page Viewed','Page Viewed','Page Viewed','Page Viewed','Product Viewed','Product Viewed','Added to Cart','Order Completed'][number % 10 + 1] AS e,
          ${t(now)} - toIntervalSecond(cityHash64(number, 1) % (180 * 86400)) AS ts
          FROM numbers(${param(from, 'UInt64')}, ${param(n, 'UInt64')}))`,
      'bench-events',
    );
    ebar.tick(from + n);
  }
  // Steady state: one part per partition, as background merges leave a table between loads (and
  // no merge left running to compete with the measured queries).
  await ch.command('OPTIMIZE TABLE events FINAL', 'bench-optimize');
  await ch.command('OPTIMIZE TABLE profiles FINAL', 'bench-optimize');
  await ch.command('OPTIMIZE TABLE profile_aliases FINAL', 'bench-optimize');
}

// ---- Hand-written SQL of the same rules (same semantics: live profiles, merged events). ----

const live = () =>
  sql`SELECT profile_id, traits FROM profiles FINAL WHERE workspace_id = ${w()} AND deleted = 0 AND profile_id NOT IN (SELECT profile_id FROM profile_aliases WHERE workspace_id = ${w()} GROUP BY profile_id HAVING argMax(survivor_id, version) NOT IN ('', profile_id))`;
const aliases = () =>
  sql`SELECT profile_id, argMax(survivor_id, version) AS survivor FROM profile_aliases WHERE workspace_id = ${w()} GROUP BY profile_id`;

/** Aggregate per stored profile first, then map the (few) rows to survivors and combine. */
function perSurvivor(where: SqlFragment, agg: string, combine: string): SqlFragment {
  return sql`SELECT if(a.survivor != '', a.survivor, e.profile_id) AS pid, ${raw(combine)} AS v FROM (SELECT profile_id, ${raw(agg)} AS v FROM events WHERE workspace_id = ${w()} AND ${where} GROUP BY profile_id) AS e LEFT JOIN (${aliases()}) AS a ON a.profile_id = e.profile_id GROUP BY pid`;
}
const named = (event: string, from: number, to: number) =>
  sql`event = ${param(event, 'String')} AND timestamp >= ${t(from)} AND timestamp <= ${t(to)}`;
const traitSql = () =>
  sql`JSONExtractString(traits, 'plan') = ${param('pro', 'String')} AND JSONExtractFloat(traits, 'age') >= ${param(30, 'Float64')}`;
const count = (where: SqlFragment) => sql`SELECT count() AS count FROM (${live()}) WHERE ${where}`;

interface Case {
  name: string;
  rule: Rule;
  /** Event scans of the rule, by window in days (null = all time). */
  windows: (number | null)[];
  hand: (now: number) => SqlFragment;
}

export function cases(traitSegmentId: string): Case[] {
  return [
    {
      name: 'trait-only',
      windows: [],
      rule: {
        and: [
          { trait: 'plan', op: 'eq', value: 'pro' },
          { trait: 'age', op: 'gte', value: 30 },
        ],
      },
      hand: () => count(traitSql()),
    },
    {
      name: 'did Product Viewed >= 3 times in 30 days',
      windows: [30],
      rule: { event: 'Product Viewed', count: { op: 'gte', value: 3 }, within: { days: 30 } },
      hand: (now) =>
        count(
          sql`profile_id IN (SELECT pid FROM (${perSurvivor(named('Product Viewed', now - 30 * DAY, now), 'count()', 'sum(v)')}) WHERE v >= 3)`,
        ),
    },
    {
      name: 'revenue sum > 1000 in 90 days',
      windows: [90],
      rule: {
        event: 'Order Completed',
        aggregate: { fn: 'sum', property: 'revenue' },
        op: 'gt',
        value: 1000,
        within: { days: 90 },
      },
      hand: (now) =>
        count(
          sql`profile_id IN (SELECT pid FROM (${perSurvivor(named('Order Completed', now - 90 * DAY, now), 'sum(revenue)', 'sum(v)')}) WHERE v > 1000)`,
        ),
    },
    {
      name: 'RFM cell champions',
      windows: [null],
      rule: { rfm: 'champions' },
      hand: (now) => {
        const buyers = sql`SELECT if(a.survivor != '', a.survivor, e.profile_id) AS pid, max(last) AS last_at, sum(f) AS frequency, sum(m) AS monetary FROM (SELECT profile_id, max(timestamp) AS last, count() AS f, sum(revenue) AS m FROM events WHERE workspace_id = ${w()} AND event = 'Order Completed' AND timestamp <= ${t(now)} GROUP BY profile_id) AS e LEFT JOIN (${aliases()}) AS a ON a.profile_id = e.profile_id GROUP BY pid`;
        const scored = sql`SELECT pid, 1 + intDiv(5 * (rank() OVER (ORDER BY intDiv(${param(now, 'Int64')} - toUnixTimestamp64Milli(last_at), 86400000) DESC) - 1), count() OVER ()) AS r, 1 + intDiv(5 * (rank() OVER (ORDER BY frequency) - 1), count() OVER ()) AS f FROM (${buyers}) WHERE pid IN (SELECT profile_id FROM (${live()}))`;
        return sql`SELECT count() AS count FROM (${scored}) WHERE r = 5 AND f BETWEEN 4 AND 5`;
      },
    },
    {
      name: 'nested AND/OR/NOT with a segment reference',
      windows: [90],
      rule: {
        and: [
          { segment: traitSegmentId },
          {
            or: [
              { trait: 'city', op: 'eq', value: 'Москва' },
              { not: { event: 'Order Completed', within: { days: 90 } } },
            ],
          },
        ],
      },
      hand: (now) =>
        count(
          sql`${traitSql()} AND (JSONExtractString(traits, 'city') = ${param('Москва', 'String')} OR profile_id NOT IN (SELECT pid FROM (${perSurvivor(named('Order Completed', now - 90 * DAY, now), 'count()', 'sum(v)')})))`,
        ),
    },
  ];
}

interface Measured<T> {
  value: T;
  ms: number;
  /** CPU time of this process (chDB's threads included): robust when other work shares the machine. */
  cpuMs: number;
  peakRssMb: number;
}

/** Runs `fn`, sampling this process's RSS (chDB runs inside it) every 20 ms. */
async function measured<T>(fn: () => Promise<T>): Promise<Measured<T>> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const value = await fn();
    const cpu = process.cpuUsage(cpu0);
    return {
      value,
      ms: performance.now() - t0,
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakRssMb: Math.round(Math.max(peak, process.memoryUsage.rss()) / 2 ** 20),
    };
  } finally {
    clearInterval(timer);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x);
const tenths = (x: number) => Math.round(x * 10) / 10;

/**
 * Rows a rule reads from storage: the profile universe, the alias table and one events scan per
 * window (days; null = all time), each after partition and index pruning (EXPLAIN ESTIMATE;
 * chDB keeps no query log to read the exact figure from).
 */
async function rowsScanned(ch: ClickHouse, windows: (number | null)[], now: number): Promise<number> {
  const estimate = async (q: SqlFragment) => {
    const c = compile(q);
    const rows = await ch.query<{ rows: string }>(
      { query: `EXPLAIN ESTIMATE ${c.query}`, params: c.params },
      'bench-estimate',
    );
    return rows.reduce((n, r) => n + Number(r.rows), 0);
  };
  let n = await estimate(sql`SELECT max(traits) FROM profiles WHERE workspace_id = ${w()}`);
  n += await estimate(sql`SELECT max(survivor_id) FROM profile_aliases WHERE workspace_id = ${w()}`);
  for (const days of windows) {
    const since = days === null ? raw('') : sql` AND timestamp >= ${t(now - days * DAY)}`;
    n += await estimate(
      sql`SELECT max(event) FROM events WHERE workspace_id = ${w()}${since} AND timestamp <= ${t(now)}`,
    );
  }
  return n;
}

export async function benchSegments(args: string[]) {
  const profiles = arg(args, 'profiles', 10_000_000);
  const events = arg(args, 'events', 100_000_000);
  const runs = arg(args, 'runs', 3);
  const dir = tempDir('datapulse-bench-segments-');
  const config = loadConfig({ ...process.env, DATAPULSE_DATA_DIR: dir.dir });
  const stores = await openStores(config);
  try {
    await migrate(stores, config);
    const { ch } = stores;
    const loadBefore = loadavg();
    const now = Date.now();
    const gen = await measured(() => generate(ch, profiles, events, now));
    await stores.pg.db.insert(tables.workspaces).values({ id: WS, name: 'bench' });
    const repo = segmentRepository(stores.pg.db);
    const membership = membershipStore(ch);
    const evaluator = segmentEvaluator({
      repo,
      membership,
      bus: new SegmentBus(),
      log: pino({ level: 'silent' }),
    });

    const traitSegment = 'seg_bench_trait';
    const results = [];
    for (const [i, c] of cases(traitSegment).entries()) {
      const id = i === 0 ? traitSegment : `seg_bench_${i}`;
      await repo.insert({ id, workspaceId: WS, name: c.name, type: 'dynamic', rule: c.rule, schedule: null });
      const ctx = ruleContext(WS, await evaluator.rulesOf(WS), id, new Date(now));
      const compiled = countSql(c.rule, ctx);
      const hand = c.hand(now);
      const compiledRuns: Measured<unknown>[] = [];
      const handRuns: Measured<unknown>[] = [];
      let sizes: [number, number] = [0, 0];
      for (let r = 0; r < runs + 1; r++) {
        const a = await measured(() => ch.query<{ count: string }>(compiled, 'bench-compiled'));
        const b = await measured(() => ch.query<{ count: string }>(hand, 'bench-hand'));
        sizes = [Number(a.value[0].count), Number(b.value[0].count)];
        if (r > 0) {
          compiledRuns.push(a); // the first round warms the page cache for both
          handRuns.push(b);
        }
      }
      if (sizes[0] !== sizes[1])
        throw new Error(`${c.name}: compiled ${sizes[0]} ≠ hand-written ${sizes[1]}`);
      const first = await measured(() => evaluator.recompute(WS, id));
      const again = await measured(() => evaluator.recompute(WS, id));
      const scanned = await rowsScanned(ch, c.windows, now);
      const ms = (xs: Measured<unknown>[]) => median(xs.map((x) => x.ms));
      const cpu = (xs: Measured<unknown>[]) => median(xs.map((x) => x.cpuMs));
      const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
      results.push({
        rule: c.name,
        size: first.value.size,
        recompute: {
          firstMs: round(first.ms),
          firstCpuMs: round(first.cpuMs),
          steadyMs: round(again.ms),
          steadyCpuMs: round(again.cpuMs),
          entered: first.value.entered,
          withinTarget: Math.max(first.ms, again.ms) <= TARGET_MS,
        },
        count: {
          compiledMs: round(ms(compiledRuns)),
          handWrittenMs: round(ms(handRuns)),
          compiledCpuMs: round(cpu(compiledRuns)),
          handWrittenCpuMs: round(cpu(handRuns)),
        },
        ratioHandToCompiled: ratio(ms(handRuns), ms(compiledRuns)),
        ratioHandToCompiledCpu: ratio(cpu(handRuns), cpu(compiledRuns)),
        rowsScanned: scanned,
        rowsPerSecond: Math.round(scanned / (ms(compiledRuns) / 1000)),
        peakRssMb: Math.max(first.peakRssMb, again.peakRssMb, ...compiledRuns.map((x) => x.peakRssMb)),
      });
      process.stderr.write(`${JSON.stringify(results[results.length - 1])}\n`);
    }
    return {
      mode: stores.ch.embedded ? 'embedded chDB' : 'ClickHouse server',
      profiles,
      events,
      runs,
      generation: { seconds: Math.round(gen.ms / 100) / 10, peakRssMb: gen.peakRssMb },
      targetMs: TARGET_MS,
      rules: results,
      allWithinTarget: results.every((r) => r.recompute.withinTarget),
      minRatio: Math.min(...results.map((r) => r.ratioHandToCompiled)),
      minRatioCpu: Math.min(...results.map((r) => r.ratioHandToCompiledCpu)),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      /** Other work on the machine: 1/5/15-minute load averages before and after (cpus: machine.cpus). */
      loadAverage: { before: loadBefore.map(tenths), after: loadavg().map(tenths) },
    };
  } finally {
    await stores.close();
    dir.remove();
  }
}
