import type { Logger } from 'pino';
import type { Config } from '../config/index.ts';
import { RateLimitedError, UnavailableError } from '../core/errors.ts';
import type { TrackedEvent } from '../core/tracking/index.ts';
import type { ClickHouse } from '../storage/index.ts';
import type { MessageIdIndex } from './dedup.ts';
import { EVENT_COLUMNS, encodeRowTail, rowLine } from './encode.ts';
import type { IdentityStage, IngestItem } from './stage.ts';

export interface SubmitResult {
  stored: number;
  duplicates: number;
}

interface Pending {
  items: IngestItem[];
  tails: string[];
  receivedAt: number;
  resolve(r: SubmitResult): void;
  reject(err: unknown): void;
}

/** Message ids a flush stored, per workspace. */
type Written = Map<string, Set<string>>;

/** A flush past identity resolution: the ids it is about to insert, and what it stored in the end. */
interface Flight {
  ids: Map<string, Set<string>>;
  stored: Promise<Written>;
}

/**
 * Flushes at once: one resolving identities while another inserts (chDB inserts run off the event
 * loop). More did not help on 2 cores: an insert costs ~10 ms of CPU whatever its size, so more,
 * smaller inserts at once only took longer each.
 */
const MAX_FLUSHES = 2;

/** A flushed write that subscribers (segments, triggers, webhooks) may react to. */
export type StoredListener = (items: readonly IngestItem[], profileIds: readonly string[]) => void;

/**
 * validate + normalise (caller) → group-commit batcher → identity → store → acknowledge.
 * Requests wait in a bounded queue; a flush takes everything queued (up to the batch size), drops
 * duplicates, resolves identities, writes ONE ClickHouse insert and only then answers every
 * request of the flush. Identities are resolved one flush at a time, in arrival order, while
 * earlier flushes insert (MAX_FLUSHES in all). A failed flush answers 503 to all of its
 * requests: nothing is acknowledged that was not stored.
 */
export class IngestPipeline {
  private queue: Pending[] = [];
  private queued = 0;
  /** A flush is deduplicating / resolving identities (the next may start once it inserts). */
  private preparing = false;
  /** Started flushes that have not finished. */
  private readonly running = new Set<Promise<void>>();
  /** Resolved flushes whose inserts have not finished. */
  private readonly flights = new Set<Flight>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private listeners: StoredListener[] = [];
  private lastSnapshot = Date.now();
  readonly stats = {
    flushes: 0,
    stored: 0,
    duplicates: 0,
    failedFlushes: 0,
    ms: { dedup: 0, identity: 0, insert: 0 },
  };

  constructor(
    private readonly ch: ClickHouse,
    private readonly index: MessageIdIndex,
    private readonly identity: IdentityStage,
    private readonly config: Config['ingest'],
    private readonly log: Logger,
  ) {}

  onStored(fn: StoredListener): void {
    this.listeners.push(fn);
  }

  get depth(): number {
    return this.queued;
  }

  /** Resolves once every event is durably stored (or was already). */
  submit(workspaceId: string, sourceId: string, events: readonly TrackedEvent[]): Promise<SubmitResult> {
    if (this.closed) return Promise.reject(new UnavailableError('The server is shutting down', 1));
    if (events.length === 0) return Promise.resolve({ stored: 0, duplicates: 0 });
    if (this.queued + events.length > this.config.maxQueuedEvents) {
      return Promise.reject(new RateLimitedError('Ingestion queue is full; retry shortly', 1));
    }
    const items = events.map((event) => ({ workspaceId, sourceId, event }));
    const tails = items.map(encodeRowTail);
    return new Promise<SubmitResult>((resolve, reject) => {
      this.queue.push({ items, tails, receivedAt: Date.now(), resolve, reject });
      this.queued += items.length;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.preparing || this.running.size >= MAX_FLUSHES) return; // a running flush picks the queue up
    if (this.queued >= this.config.maxBatchEvents || this.config.flushIntervalMs === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.startFlush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.startFlush();
      }, this.config.flushIntervalMs);
    }
  }

  /** Starts a flush unless one is resolving identities, MAX_FLUSHES run, or nothing is queued. */
  private startFlush(): void {
    if (this.preparing || this.running.size >= MAX_FLUSHES || this.queue.length === 0) return;
    const batch = this.take();
    this.preparing = true;
    let wasPrepared = false;
    // Requests queued while flushes ran have waited already: they go at once, with no timer.
    const prepared = () => {
      if (wasPrepared) return;
      wasPrepared = true;
      this.preparing = false;
      this.startFlush();
    };
    const done: Promise<void> = this.flushOnce(batch, prepared).finally(() => {
      prepared();
      this.running.delete(done);
      this.startFlush();
    });
    this.running.add(done);
  }

  private take(): Pending[] {
    const taken: Pending[] = [];
    let n = 0;
    while (
      this.queue.length > 0 &&
      (n === 0 || n + this.queue[0].items.length <= this.config.maxBatchEvents)
    ) {
      const p = this.queue.shift()!;
      n += p.items.length;
      taken.push(p);
    }
    this.queued -= n;
    return taken;
  }

  private async flushOnce(batch: Pending[], prepared: () => void): Promise<void> {
    const written: Written = new Map();
    try {
      const results = await this.write(batch, prepared, written);
      for (const [i, p] of batch.entries()) p.resolve(results[i]);
    } catch (err) {
      written.clear();
      this.stats.failedFlushes++;
      this.log.error({ err, requests: batch.length }, 'ingest flush failed; answering 503');
      const failure = new UnavailableError('Events could not be stored; retry', 1);
      for (const p of batch) p.reject(failure);
    }
    if (Date.now() - this.lastSnapshot > 60_000) this.snapshot();
  }

  /**
   * Dedup → identity → (flushes in flight with the same ids done) → one insert. Returns a result
   * per request and fills `written` with the ids it stored.
   */
  private async write(batch: Pending[], prepared: () => void, written: Written): Promise<SubmitResult[]> {
    const results = batch.map(() => ({ stored: 0, duplicates: 0 }));
    // Flushes still inserting now: what they store is not in the index yet (step 3). A flush that
    // finishes later than this line added its ids to the index before it left `flights`.
    const earlier = [...this.flights];
    // 1. Drop ids repeated inside the flush, then ids already stored.
    const firstSeen = new Map<string, Set<string>>();
    const fresh: { req: number; item: IngestItem; tail: string }[] = [];
    for (const [req, p] of batch.entries()) {
      for (const [i, item] of p.items.entries()) {
        const seen = firstSeen.get(item.workspaceId) ?? new Set<string>();
        firstSeen.set(item.workspaceId, seen);
        if (seen.has(item.event.messageId)) results[req].duplicates++;
        else {
          seen.add(item.event.messageId);
          fresh.push({ req, item, tail: p.tails[i] });
        }
      }
    }
    const t0 = performance.now();
    const stored = new Map<string, Set<string>>();
    for (const [ws, ids] of firstSeen) stored.set(ws, await this.index.existing(ws, [...ids]));
    const t1 = performance.now();
    this.stats.ms.dedup += t1 - t0;
    const candidates = fresh.filter((f) => {
      const duplicate = stored.get(f.item.workspaceId)!.has(f.item.event.messageId);
      if (duplicate) results[f.req].duplicates++;
      return !duplicate;
    });

    // 2. Identity (durable in PostgreSQL before the events are written).
    const resolved = candidates.length ? await this.identity.resolve(candidates.map((f) => f.item)) : [];
    const t2 = performance.now();
    this.stats.ms.identity += t2 - t1;

    // 3. Flushes still inserting may store some of these ids (a client retrying while its first
    // attempt is in flight): wait for those and count what they stored as duplicates; were they
    // to fail, this flush writes the ids. Flushes prepared later check this one the same way.
    const ids = new Map<string, Set<string>>();
    for (const { item } of candidates) {
      const set = ids.get(item.workspaceId) ?? new Set<string>();
      ids.set(item.workspaceId, set.add(item.event.messageId));
    }
    let finish: (w: Written) => void = () => {};
    const flight: Flight = { ids, stored: new Promise<Written>((r) => (finish = r)) };
    this.flights.add(flight);
    prepared();
    try {
      return await this.insert(candidates, resolved, earlier, results, written);
    } finally {
      this.flights.delete(flight);
      finish(written);
    }
  }

  private async insert(
    candidates: { req: number; item: IngestItem; tail: string }[],
    resolved: string[],
    earlier: Flight[],
    results: SubmitResult[],
    written: Written,
  ): Promise<SubmitResult[]> {
    const overlapping = earlier.filter((f) =>
      candidates.some((c) => f.ids.get(c.item.workspaceId)?.has(c.item.event.messageId)),
    );
    const before = await Promise.all(overlapping.map((f) => f.stored));
    const toWrite: { req: number; item: IngestItem; tail: string; profileId: string }[] = [];
    for (const [i, f] of candidates.entries()) {
      if (before.some((w) => w.get(f.item.workspaceId)?.has(f.item.event.messageId)))
        results[f.req].duplicates++;
      else toWrite.push({ ...f, profileId: resolved[i] });
    }
    if (toWrite.length === 0) return results;

    // 4. One insert for the whole flush.
    const t3 = performance.now();
    const payload = Buffer.from(toWrite.map((f) => rowLine(f.profileId, f.tail)).join(''));
    await this.ch.insertJsonEachRow('events', payload, EVENT_COLUMNS);
    this.stats.ms.insert += performance.now() - t3;

    for (const f of toWrite) {
      const ws = f.item.workspaceId;
      const id = f.item.event.messageId;
      this.index.add(ws, [id]);
      const set = written.get(ws) ?? new Set<string>();
      written.set(ws, set);
      set.add(id);
      results[f.req].stored++;
    }
    const items = toWrite.map((f) => f.item);
    const profileIds = toWrite.map((f) => f.profileId);
    this.stats.flushes++;
    this.stats.stored += toWrite.length;
    this.stats.duplicates += results.reduce((n, r) => n + r.duplicates, 0);
    for (const fn of this.listeners) {
      try {
        fn(items, profileIds);
      } catch (err) {
        this.log.error({ err }, 'ingest listener failed');
      }
    }
    return results;
  }

  private snapshot(): void {
    this.lastSnapshot = Date.now();
    const oldest = this.queue.length ? this.queue[0].receivedAt : Date.now();
    try {
      this.index.save(Math.min(oldest, Date.now()));
    } catch (err) {
      this.log.warn({ err }, 'could not save the message-id snapshot');
    }
  }

  /** Stops accepting, flushes everything queued, saves the dedup snapshot. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.running.size > 0 || this.queue.length > 0) {
      this.startFlush();
      if (this.running.size > 0) await Promise.race(this.running);
    }
    this.snapshot();
    const ms = Object.fromEntries(Object.entries(this.stats.ms).map(([k, v]) => [k, Math.round(v)]));
    this.log.info({ ...this.stats, ms }, 'ingest pipeline closed');
  }
}
