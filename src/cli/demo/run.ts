/** `datapulse demo` end to end: check the server, find a write key, write the ad spend, send, summarise. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkServer, demoSource, resolveToken, uploadSpend } from './api.ts';
import type { DemoOptions } from './args.ts';
import {
  countEvents,
  type GeneratedPerson,
  generatePeople,
  generateSpend,
  type SpendRow,
  spendCsv,
} from './generate.ts';
import { createProgress, formatCount, formatDuration } from './progress.ts';
import { DemoError, sendEvents } from './send.ts';

export interface DemoIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
  fetch?: typeof fetch;
  /** End of the simulated window (default: now). */
  now?: Date;
}

export interface DemoStats {
  people: number;
  /** People with at least one signed-in call. */
  signedIn: number;
  events: number;
  orders: number;
  revenue: number;
  subscriptions: number;
  playbacks: number;
}

export interface DemoSummary {
  stats: DemoStats;
  sent: number;
  rejected: number;
  rejections: string[];
  /** Requests repeated after 429 / 5xx / network errors. */
  retries: number;
  writeKey: string;
  source: { id: string; name: string; created: boolean } | null;
  spendFiles: string[];
  /** Spend rows loaded through the marketing API; null without an API token (write key only). */
  spendLoaded: number | null;
  elapsedMs: number;
}

/** Tallies what went by, for the summary. */
function* tally(people: Iterable<GeneratedPerson>, stats: DemoStats): Generator<GeneratedPerson> {
  for (const person of people) {
    stats.people++;
    stats.events += person.events.length;
    let signedIn = false;
    for (const e of person.events) {
      if (e.userId) signedIn = true;
      if (e.event === 'Order Completed') {
        stats.orders++;
        stats.revenue += Number(e.properties?.revenue ?? 0);
      } else if (e.event === 'Subscription Started') stats.subscriptions++;
      else if (e.event === 'Video Playback Started') stats.playbacks++;
    }
    if (signedIn) stats.signedIn++;
    yield person;
  }
}

/** `<data dir>/demo/ad-spend.csv` and `.json`; returns their paths. */
export function writeSpend(dataDir: string, rows: readonly SpendRow[]): string[] {
  const dir = join(dataDir, 'demo');
  mkdirSync(dir, { recursive: true });
  const csv = join(dir, 'ad-spend.csv');
  const json = join(dir, 'ad-spend.json');
  writeFileSync(csv, spendCsv(rows));
  writeFileSync(json, `${JSON.stringify(rows, null, 2)}\n`);
  return [csv, json];
}

async function writeKeyFor(opts: DemoOptions, io: DemoIo, token: string | null) {
  if (opts.writeKey) return { writeKey: opts.writeKey, source: null };
  if (!token) {
    throw new DemoError(
      `--token: no API token; pass --token or set DATAPULSE_TOKEN (the owner token is in ` +
        `${join(opts.dataDir, 'bootstrap-token')} after the first \`npm start\`), or pass --write-key`,
      2,
    );
  }
  const source = await demoSource(opts.url, token, io.fetch);
  return { writeKey: source.writeKey, source };
}

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

export async function runDemo(opts: DemoOptions, io: DemoIo): Promise<DemoSummary> {
  const started = Date.now();
  await checkServer(opts.url, { fetch: io.fetch });
  const token = resolveToken(opts.token, io.env, opts.dataDir);
  const { writeKey, source } = await writeKeyFor(opts, io, token);
  const now = io.now ?? new Date();
  const generate = { profiles: opts.profiles, days: opts.days, seed: opts.seed, now };
  const spend = generateSpend(opts.days, opts.seed, { now, profiles: opts.profiles });
  const spendFiles = writeSpend(opts.dataDir, spend);
  const spendLoaded = token ? await uploadSpend(opts.url, token, spend, io.fetch) : null;

  io.stderr.write(
    `demo: simulating ${formatCount(opts.profiles)} people over ${opts.days} days (seed ${opts.seed})…\n`,
  );
  const total = countEvents(generate);
  const progress = createProgress(total, { stream: io.stderr });
  const stats: DemoStats = {
    people: 0,
    signedIn: 0,
    events: 0,
    orders: 0,
    revenue: 0,
    subscriptions: 0,
    playbacks: 0,
  };
  let result: Awaited<ReturnType<typeof sendEvents>>;
  try {
    result = await sendEvents(tally(generatePeople(generate), stats), {
      url: opts.url,
      writeKey,
      fetch: io.fetch,
      onSent: (n) => progress.add(n),
    });
  } finally {
    progress.finish();
  }
  const summary: DemoSummary = {
    stats,
    sent: result.sent,
    rejected: result.rejected,
    rejections: result.rejections,
    retries: result.retries,
    writeKey,
    source: source && { id: source.id, name: source.name, created: source.created },
    spendFiles,
    spendLoaded,
    elapsedMs: Date.now() - started,
  };
  io.stdout.write(formatSummary(summary, opts));
  return summary;
}

export function formatSummary(s: DemoSummary, opts: Pick<DemoOptions, 'days' | 'url'>): string {
  const { stats } = s;
  const perSecond = s.elapsedMs > 0 ? (s.sent * 1000) / s.elapsedMs : 0;
  const lines = [
    `Sent ${formatCount(s.sent)} events to ${opts.url} in ${formatDuration(s.elapsedMs)} (${formatCount(perSecond)} events/s)` +
      (s.rejected ? `; ${formatCount(s.rejected)} rejected` : '; none rejected') +
      (s.retries ? ` (${formatCount(s.retries)} requests retried)` : ''),
    `  people:        ${formatCount(stats.people)} over ${opts.days} days, ${formatCount(stats.signedIn)} signed in`,
    `  shop:          ${formatCount(stats.orders)} orders, ${formatCount(stats.revenue)} RUB revenue`,
    `  media:         ${formatCount(stats.playbacks)} playbacks, ${formatCount(stats.subscriptions)} new subscriptions`,
    s.source
      ? `  source:        ${s.source.name} (${s.source.id}, ${s.source.created ? 'created' : 'existing'}), write key ${s.writeKey}`
      : `  write key:     ${s.writeKey}`,
    `  ad spend:      ${s.spendFiles.map(display).join(', ')}` +
      (s.spendLoaded === null
        ? ' (not loaded: no API token; upload it with POST /api/v1/marketing/spend.csv)'
        : `, ${formatCount(s.spendLoaded)} rows loaded into marketing spend`),
    ...s.rejections.map((r) => `  rejected:      ${r}`),
  ];
  return `${lines.join('\n')}\n`;
}
