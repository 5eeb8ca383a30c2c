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

/** A flushed write that subscribers (segments, triggers, webhooks) may react to. */
export type StoredListener = (items: readonly IngestItem[], profileIds: readonly string[]) => void;

/**
 * validate + normalise (caller) → group-commit batcher → identity → store → acknowledge.
 * Requests wait in a bounded queue; one flush at a time takes everything queued (up to the batch
 * size), drops duplicates, resolves identities, writes ONE ClickHouse insert and only then
 * answers every request of the flush. A failed flush answers 503 to all of them: nothing is
 * acknowledged that was not stored.
 */
export class IngestPipeline {
  private queue: Pending[] = [];
  private queued = 0;
  private flushing: Promise<void> | null = null;
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
    if (this.flushing) return; // the running flush picks the queue up when it ends
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

  private startFlush(): void {
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = this.flushOnce().finally(() => {
      this.flushing = null;
      if (this.queue.length > 0) this.schedule();
    });
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

  private async flushOnce(): Promise<void> {
    const batch = this.take();
    try {
      const results = await this.write(batch);
      for (const [i, p] of batch.entries()) p.resolve(results[i]);
    } catch (err) {
      this.stats.failedFlushes++;
      this.log.error({ err, requests: batch.length }, 'ingest flush failed; answering 503');
      const failure = new UnavailableError('Events could not be stored; retry', 1);
      for (const p of batch) p.reject(failure);
    }
    if (Date.now() - this.lastSnapshot > 60_000) this.snapshot();
  }

  /** Dedup → identity → one insert. Returns a result per request. */
  private async write(batch: Pending[]): Promise<SubmitResult[]> {
    const results = batch.map(() => ({ stored: 0, duplicates: 0 }));
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
    const toWrite = fresh.filter((f) => {
      const duplicate = stored.get(f.item.workspaceId)!.has(f.item.event.messageId);
      if (duplicate) results[f.req].duplicates++;
      return !duplicate;
    });
    if (toWrite.length === 0) return results;

    // 2. Identity (durable in PostgreSQL before the events are written).
    const items = toWrite.map((f) => f.item);
    const profileIds = await this.identity.resolve(items);
    const t2 = performance.now();
    this.stats.ms.identity += t2 - t1;

    // 3. One insert for the whole flush.
    const payload = Buffer.from(toWrite.map((f, i) => rowLine(profileIds[i], f.tail)).join(''));
    await this.ch.insertJsonEachRow('events', payload, EVENT_COLUMNS);
    this.stats.ms.insert += performance.now() - t2;

    for (const f of toWrite) {
      this.index.add(f.item.workspaceId, [f.item.event.messageId]);
      results[f.req].stored++;
    }
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
    while (this.flushing || this.queue.length > 0) {
      if (this.flushing) await this.flushing;
      else this.startFlush();
    }
    this.snapshot();
    const ms = Object.fromEntries(Object.entries(this.stats.ms).map(([k, v]) => [k, Math.round(v)]));
    this.log.info({ ...this.stats, ms }, 'ingest pipeline closed');
  }
}
